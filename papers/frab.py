"""A meeting's programme in the frab schedule format that conference apps load (Giggity,
ConfClerk, EventFahrplan, the c3voc tools): ``schedule.xml`` and ``schedule.json``, valid
against the c3voc schemas (``../shared/specs/frab``).

Both are written from one list of events, built from the programme reader's records:

- a timed session whose talks all have their own times gives one event per talk (the session's
  title as the subtitle); any other timed session is one event, its talks listed in the
  description and linked;
- a frab event needs a room, a start and a duration: sessions without a start or an end time,
  and talks outside any session, are not in the file (the README says so). Nothing is made
  up: an unknown room is written as “Room not recorded”.
"""

import datetime
import hashlib
import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.conf import settings

UNKNOWN_ROOM = "Room not recorded"
TALK = "Talk"
# Session event ids (the session's primary key) sit above every talk's (a presentation's) so
# that the two never meet in one file; frab wants a positive integer, apps keep favourites by it.
SESSION_ID_BASE = 1_000_000_000
FORMAT_VERSION = "frab schedule 1.0"


@dataclass(frozen=True, slots=True)
class FrabPerson:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class FrabLink:
    url: str
    title: str


@dataclass(frozen=True, slots=True)
class FrabEvent:
    id: int
    guid: str
    slug: str
    day: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    room: str
    title: str
    subtitle: str
    type: str
    track: str
    abstract: str
    description: str
    url: str
    persons: tuple
    links: tuple

    @property
    def duration(self):
        minutes = int((self.end - self.start).total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


def acronym(meeting_slug):
    """The meeting's slug as both schemas' acronym: lowercase letters, digits and ``_``."""
    text = re.sub(r"[^a-z0-9_]+", "_", meeting_slug.lower()).strip("_")
    return text.ljust(4, "_")


def _slug_part(text):
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_") or "event"


def _guid(url):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def _aware(day, time, zone):
    return datetime.datetime.combine(day, time, tzinfo=zone)


def _person_line(entry):
    person = entry.person.full_name
    return f"{person} ({entry.affiliation.name})" if entry.affiliation else person


def _talk_lines(talk):
    authors = ", ".join(
        _person_line(author) + (" – presenter" if author.is_presenter else "")
        for author in talk.authors
    )
    lines = [f"{talk.paper.title}", f"  Authors: {authors}" if authors else ""]
    if talk.discussants:
        lines.append("  Discussant: " + ", ".join(map(_person_line, talk.discussants)))
    return [line for line in lines if line]


def _session_lines(session):
    lines = []
    if session.chairs:
        label = "Chair" if len(session.chairs) == 1 else "Chairs"
        lines.append(f"{label}: " + ", ".join(map(_person_line, session.chairs)))
    for number, talk in enumerate(session.talks, start=1):
        first, *rest = _talk_lines(talk)
        lines.append(f"{number}. {first}")
        lines.extend(rest)
    return "\n".join(lines)


def _people(*groups):
    """Everyone on stage, once each, in the order given (chairs, presenters, discussants)."""
    seen, people = set(), []
    for group in groups:
        for person in group:
            if person.url not in seen:
                seen.add(person.url)
                people.append(person)
    return people


def _frab_people(people, absolute):
    return tuple(FrabPerson(person.full_name, absolute(person.url)) for person in people)


def schedule_events(programme, *, absolute):
    """The programme's frab events, day by day in programme order."""
    meeting = programme.meeting
    zone = meeting.zone
    meeting_acronym = acronym(meeting.slug)
    meeting_url = absolute(meeting.get_absolute_url())
    events = []
    for day in programme.days:
        for session in day.sessions:
            if session.start is None or session.end is None:
                continue
            room = session.room.name if session.room else UNKNOWN_ROOM
            session_url = absolute(session.url)
            presenters = [
                a.person for talk in session.talks for a in talk.authors if a.is_presenter
            ]
            discussants = [d.person for talk in session.talks for d in talk.discussants]
            chairs = [chair.person for chair in session.chairs]
            if session.talks and all(talk.start and talk.end for talk in session.talks):
                for talk in session.talks:
                    events.append(
                        FrabEvent(
                            id=talk.id,
                            guid=_guid(f"{meeting_url}#talk-{talk.id}"),
                            slug=f"{meeting_acronym}-talk-{talk.id}-{_slug_part(talk.paper.slug)}",
                            day=day.date,
                            start=_aware(day.date, talk.start, zone),
                            end=_aware(day.date, talk.end, zone),
                            room=room,
                            title=talk.paper.title,
                            subtitle=session.title,
                            type=TALK,
                            track=session.kind_label,
                            abstract="",
                            description="\n".join(_talk_lines(talk)),
                            url=absolute(talk.paper.url),
                            persons=_frab_people(
                                _people(
                                    [a.person for a in talk.authors if a.is_presenter],
                                    [d.person for d in talk.discussants],
                                ),
                                absolute,
                            ),
                            links=(FrabLink(session_url, session.title),),
                        )
                    )
                continue
            events.append(
                FrabEvent(
                    id=SESSION_ID_BASE + session.id,
                    guid=_guid(session_url),
                    slug=f"{meeting_acronym}-session-{_slug_part(session.slug)}",
                    day=day.date,
                    start=_aware(day.date, session.start, zone),
                    end=_aware(day.date, session.end, zone),
                    room=room,
                    title=session.title,
                    subtitle="",
                    type=session.kind_label,
                    track=session.kind_label,
                    abstract=session.description,
                    description=_session_lines(session),
                    url=session_url,
                    persons=_frab_people(_people(chairs, presenters, discussants), absolute),
                    links=tuple(
                        FrabLink(absolute(talk.paper.url), talk.paper.title)
                        for talk in session.talks
                    ),
                )
            )
    return events


@dataclass(frozen=True, slots=True)
class FrabDay:
    index: int
    date: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    rooms: dict


def schedule_days(programme, events):
    """Every day of the meeting, its events by room (rooms in the meeting's order)."""
    zone = programme.meeting.zone
    by_day = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    days = []
    for index, date in enumerate(programme.meeting.days, start=1):
        day_events = sorted(by_day.get(date, []), key=lambda event: event.start)
        rooms = {}
        for event in day_events:
            rooms.setdefault(event.room, []).append(event)
        if day_events:
            start = min(event.start for event in day_events)
            end = max(event.end for event in day_events)
        else:
            start = _aware(date, datetime.time(0, 0), zone)
            end = _aware(date, datetime.time(23, 59), zone)
        days.append(FrabDay(index, date, start, end, rooms))
    return days


def _version(events):
    """Changes whenever an event does, so that apps know to reload."""
    digest = hashlib.sha256(repr(events).encode()).hexdigest()[:12]
    return f"{FORMAT_VERSION}; {digest}"


def _tracks(events):
    return list(dict.fromkeys(event.track for event in events))


def _time(moment):
    return moment.isoformat(timespec="seconds")


def schedule_json(programme, *, absolute, schedule_url):
    """``schedule.json`` as a dict, for ``json.dumps``."""
    meeting = programme.meeting
    events = schedule_events(programme, absolute=absolute)
    days = schedule_days(programme, events)
    rooms = list(dict.fromkeys(room for day in days for room in day.rooms))
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": settings.SITE_NAME},
        "schedule": {
            "url": schedule_url,
            "version": _version(events),
            "base_url": absolute("/"),
            "conference": {
                "acronym": acronym(meeting.slug),
                "title": meeting.display_title,
                "start": meeting.start_date.isoformat(),
                "end": meeting.end_date.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": "00:05",
                "time_zone_name": meeting.zone_name,
                "url": absolute(meeting.get_absolute_url()),
                "rooms": [
                    {"name": room, "guid": _guid(f"{absolute(meeting.get_absolute_url())}#{room}")}
                    for room in rooms
                ],
                "tracks": [{"name": track} for track in _tracks(events)],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": _time(day.start),
                        "day_end": _time(day.end),
                        "rooms": {
                            room: [_event_json(event) for event in room_events]
                            for room, room_events in day.rooms.items()
                        },
                    }
                    for day in days
                ],
            },
        },
    }


def _event_json(event):
    return {
        "guid": event.guid,
        "id": event.id,
        "date": _time(event.start),
        "start": f"{event.start:%H:%M}",
        "end": _time(event.end),
        "duration": event.duration,
        "room": event.room,
        "slug": event.slug,
        "url": event.url,
        "title": event.title,
        "subtitle": event.subtitle,
        "track": event.track,
        "type": event.type,
        "language": None,
        "abstract": event.abstract,
        "description": event.description,
        "persons": [
            {"name": person.name, "public_name": person.name, "guid": _guid(person.url)}
            | {"url": person.url}
            for person in event.persons
        ],
        "links": [
            {"url": link.url, "title": link.title, "type": "related"} for link in event.links
        ],
    }


def schedule_json_text(programme, *, absolute, schedule_url):
    return json.dumps(
        schedule_json(programme, absolute=absolute, schedule_url=schedule_url),
        ensure_ascii=False,
        indent=1,
    )


def _text(parent, tag, value, **attributes):
    element = ET.SubElement(parent, tag, {key: str(v) for key, v in attributes.items()})
    element.text = value
    return element


def schedule_xml(programme, *, absolute, schedule_url):
    """``schedule.xml`` as bytes (UTF-8, with the XML declaration)."""
    meeting = programme.meeting
    events = schedule_events(programme, absolute=absolute)
    days = schedule_days(programme, events)
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", {"name": settings.SITE_NAME})
    _text(root, "url", schedule_url)
    _text(root, "version", _version(events))
    conference = ET.SubElement(root, "conference")
    _text(conference, "acronym", acronym(meeting.slug))
    _text(conference, "title", meeting.display_title)
    _text(conference, "start", meeting.start_date.isoformat())
    _text(conference, "end", meeting.end_date.isoformat())
    _text(conference, "days", str(len(days)))
    _text(conference, "timeslot_duration", "00:05")
    _text(conference, "base_url", absolute("/"))
    _text(conference, "url", absolute(meeting.get_absolute_url()))
    _text(conference, "time_zone_name", meeting.zone_name)
    for track in _tracks(events):
        ET.SubElement(conference, "track", {"name": track})
    for day in days:
        day_element = ET.SubElement(
            root,
            "day",
            {
                "index": str(day.index),
                "date": day.date.isoformat(),
                "start": _time(day.start),
                "end": _time(day.end),
            },
        )
        for room, room_events in day.rooms.items():
            room_element = ET.SubElement(day_element, "room", {"name": room})
            for event in room_events:
                _event_xml(room_element, event)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _event_xml(parent, event):
    element = ET.SubElement(parent, "event", {"guid": event.guid, "id": str(event.id)})
    _text(element, "room", event.room)
    _text(element, "title", event.title)
    _text(element, "subtitle", event.subtitle)
    _text(element, "type", event.type)
    _text(element, "date", _time(event.start))
    _text(element, "start", f"{event.start:%H:%M}")
    _text(element, "duration", event.duration)
    _text(element, "abstract", event.abstract)
    _text(element, "slug", event.slug)
    _text(element, "track", event.track)
    _text(element, "description", event.description)
    _text(element, "url", event.url)
    persons = ET.SubElement(element, "persons")
    for person in event.persons:
        _text(persons, "person", person.name, guid=_guid(person.url))
    links = ET.SubElement(element, "links")
    for link in event.links:
        _text(links, "link", link.title, href=link.url)
