"""A programme's sessions and talks as iCalendar events, in the meeting's time zone.

A session is an event when its start time is known (its end too, where recorded); a talk
with its own times is an event of its own. Sessions known only by their day stay out: the
meeting's all-day event already covers the day, and a calendar entry without a time would
claim the whole day for it.
"""

import datetime

from django.conf import settings
from django.utils.text import slugify
from icalendar import Event


def _uid(kind, meeting, key):
    # The UID must not change when the session is edited, so calendars update the event.
    return f"{kind}-{key}.{meeting.slug}@{slugify(settings.SITE_NAME)}"


def _person_line(entry):
    name = entry.person.full_name
    return f"{name} ({entry.affiliation.name})" if entry.affiliation else name


def _location(session, meeting):
    parts = [session.room.name if session.room else "", meeting.venue, meeting.place]
    return ", ".join(part for part in parts if part)


def _talk_line(talk):
    authors = ", ".join(
        _person_line(author) + (" – presenter" if author.is_presenter else "")
        for author in talk.authors
    )
    line = f"{talk.paper.title}" + (f" – {authors}" if authors else "")
    if talk.discussants:
        line += "; discussant: " + ", ".join(map(_person_line, talk.discussants))
    return line


def _session_description(session, url):
    lines = [session.kind_label]
    if session.chairs:
        label = "Chair" if len(session.chairs) == 1 else "Chairs"
        lines.append(f"{label}: " + ", ".join(map(_person_line, session.chairs)))
    lines.extend(f"{number}. {_talk_line(talk)}" for number, talk in enumerate(session.talks, 1))
    if session.description:
        lines.extend(["", session.description])
    lines.extend(["", url])
    return "\n".join(lines)


def session_events(session, *, meeting, absolute, stamp):
    """The session's event and those of its timed talks; none for a session without a start."""
    if session.start is None:
        return []
    zone = meeting.zone
    url = absolute(session.url)
    event = Event()
    event.add("uid", _uid("session", meeting, session.slug))
    event.add("dtstamp", stamp)
    event.add("summary", session.title)
    event.add("dtstart", datetime.datetime.combine(session.day, session.start, tzinfo=zone))
    if session.end is not None:
        event.add("dtend", datetime.datetime.combine(session.day, session.end, tzinfo=zone))
    location = _location(session, meeting)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("description", _session_description(session, url))
    events = [event]
    for talk in session.talks:
        if talk.start is None:
            continue
        talk_event = Event()
        talk_event.add("uid", _uid("talk", meeting, talk.id))
        talk_event.add("dtstamp", stamp)
        talk_event.add("summary", talk.paper.title)
        talk_event.add("dtstart", datetime.datetime.combine(session.day, talk.start, tzinfo=zone))
        if talk.end is not None:
            talk_event.add("dtend", datetime.datetime.combine(session.day, talk.end, tzinfo=zone))
        if location:
            talk_event.add("location", location)
        talk_url = absolute(talk.paper.url)
        talk_event.add("url", talk_url)
        talk_event.add("description", f"{_talk_line(talk)}\n\n{session.title}\n{url}")
        events.append(talk_event)
    return events


def programme_events(programme, *, absolute, stamp):
    """Every scheduled session of the programme and its timed talks, in programme order."""
    return [
        event
        for day in programme.days
        for session in day.sessions
        for event in session_events(
            session, meeting=programme.meeting, absolute=absolute, stamp=stamp
        )
    ]
