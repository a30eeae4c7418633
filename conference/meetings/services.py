"""Writes that span several models: a meeting with its announced topics, supporting
projects and organizing committee; its rooms; a session with its chairs. Each validates
everything first, then saves atomically. Talks are placed in sessions by papers/services.py."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, ngettext

from conference.core.base import lock_for_update, replace_people_at_the_time
from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Room,
    Session,
)


def _repeated(items, message):
    """``message(item)`` for each item listed again after its first time."""
    seen, messages = set(), []
    for item in items:
        if item.pk in seen:
            messages.append(message(item))
        seen.add(item.pk)
    return messages


def _repeated_topic(topic):
    return gettext("“%(topic)s” is listed more than once.") % {"topic": topic}


def _repeated_project(project):
    return gettext("The project %(project)s is listed more than once.") % {"project": project}


def _repeated_person(person):
    return gettext("%(person)s is listed more than once.") % {"person": person}


def _validate_meeting(meeting, *, topics, supports, committee):
    errors = {}
    meeting.normalize_fields()
    try:
        meeting.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if topics is not None and (messages := _repeated(topics, _repeated_topic)):
        errors["topics"] = messages
    if supports is not None:
        projects = [support["project"] for support in supports]
        if messages := _repeated(projects, _repeated_project):
            errors["supports"] = messages
    if committee is not None:
        people = [member["person"] for member in committee]
        if messages := _repeated(people, _repeated_person):
            errors["committee"] = messages
    return errors


def _save_lists(meeting, *, topics, supports, committee):
    # One save per row, not bulk_create: saves send the signals that record edit history
    # and make cached pages stale.
    if topics is not None:
        meeting.meeting_topics.all().delete()
        for index, topic in enumerate(topics, start=1):
            MeetingTopic.objects.create(meeting=meeting, topic=topic, position=index)
    if supports is not None:
        meeting.supports.all().delete()
        for index, support in enumerate(supports, start=1):
            MeetingSupport.objects.create(meeting=meeting, position=index, **support)
    if committee is not None:
        meeting.committee.all().delete()
        for index, member in enumerate(committee, start=1):
            CommitteeMember.objects.create(meeting=meeting, position=index, **member)


@transaction.atomic
def create_meeting(*, topics=(), supports=(), committee=(), **fields):
    """Create a meeting with its topics in announced order, its supporting projects (dicts of
    ``project``, ``kind``, ``acknowledged``) and its committee (``person``, ``affiliation``,
    ``role``), each list in display order."""
    meeting = Meeting(**fields)
    if errors := _validate_meeting(meeting, topics=topics, supports=supports, committee=committee):
        raise ValidationError(errors)
    meeting.save()
    _save_lists(meeting, topics=topics, supports=supports, committee=committee)
    return meeting


@transaction.atomic
def update_meeting(*, meeting, topics=None, supports=None, committee=None, **fields):
    """Change a meeting; lists that are given replace the current ones."""
    lock_for_update(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    if errors := _validate_meeting(meeting, topics=topics, supports=supports, committee=committee):
        raise ValidationError(errors)
    meeting.save()
    _save_lists(meeting, topics=topics, supports=supports, committee=committee)
    return meeting


def _next_position(rows):
    last = rows.aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _errors_of(instance, *, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


@transaction.atomic
def create_room(*, meeting, name, capacity=None, position=None):
    """Add a room to a meeting's venue, last in the listing unless ``position`` is given."""
    lock_for_update(meeting)
    if position is None:
        position = _next_position(meeting.rooms.all())
    room = Room(meeting=meeting, name=name, capacity=capacity, position=position)
    if errors := _errors_of(room):
        raise ValidationError(errors)
    room.save()
    return room


@transaction.atomic
def update_room(*, room, **fields):
    lock_for_update(room)
    for name, value in fields.items():
        setattr(room, name, value)
    if errors := _errors_of(room):
        raise ValidationError(errors)
    room.save()
    return room


def chair_list_errors(chairs):
    """Messages for a list of chairs (dicts of ``person`` and ``affiliation``) that names a
    person twice."""
    return _repeated([chair["person"] for chair in chairs], _repeated_person)


def _lock_room(session):
    """Two writers placing sessions in one room wait for each other here, so that the
    overlap check in ``Session.clean()`` sees the other's committed session."""
    if session.room_id is not None:
        list(Room.objects.select_for_update().filter(pk=session.room_id))


def session_errors(session, *, chairs=None):
    """Every message for ``session`` and its chairs, keyed by field."""
    errors = _errors_of(session)
    if chairs is not None and (messages := chair_list_errors(chairs)):
        errors["chairs"] = messages
    return errors


def prepare_session(*, meeting, chairs=(), position=None, **fields):
    """A new, unsaved session of ``meeting`` (last in its programme unless ``position`` is
    given) and its messages; callers that create talks with it validate those too."""
    if position is None:
        position = _next_position(meeting.sessions.all())
    session = Session(meeting=meeting, position=position, **fields)
    session.normalize_fields()
    _lock_room(session)
    return session, session_errors(session, chairs=chairs)


def save_session(session, *, chairs=None):
    session.save()
    if chairs is not None:
        replace_people_at_the_time(session.session_chairs, chairs)
    return session


@transaction.atomic
def create_session(*, meeting, chairs=(), **fields):
    """Add a session to a meeting's programme with its chairs (dicts of ``person`` and
    ``affiliation``, the institution at the time) in order."""
    lock_for_update(meeting)
    session, errors = prepare_session(meeting=meeting, chairs=chairs, **fields)
    if errors:
        raise ValidationError(errors)
    return save_session(session, chairs=chairs)


@transaction.atomic
def update_session(*, session, chairs=None, **fields):
    """Change a session; a list of chairs that is given replaces the current one."""
    lock_for_update(session)
    for name, value in fields.items():
        setattr(session, name, value)
    _lock_room(session)
    if errors := session_errors(session, chairs=chairs):
        raise ValidationError(errors)
    return save_session(session, chairs=chairs)


@transaction.atomic
def delete_session(*, session):
    """Remove a session that holds no talks (its talks are never deleted with it)."""
    lock_for_update(session)
    count = session.talks.count()
    if count:
        raise ValidationError(
            {
                "session": [
                    ngettext(
                        "“%(session)s” holds %(count)d talk: move it to another session (or "
                        "unschedule it) first.",
                        "“%(session)s” holds %(count)d talks: move them to another session (or "
                        "unschedule them) first.",
                        count,
                    )
                    % {"session": session, "count": count}
                ]
            }
        )
    session.delete()
