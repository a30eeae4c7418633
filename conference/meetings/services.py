"""Writes that span several models: a meeting with its announced topics, supporting
projects and organizing committee. Validates everything first, then saves atomically."""

from django.core.exceptions import ValidationError
from django.db import transaction

from conference.core.base import lock_for_update
from conference.meetings.models import CommitteeMember, Meeting, MeetingSupport, MeetingTopic


def _repeated(items, describe):
    seen, messages = set(), []
    for item in items:
        if item.pk in seen:
            messages.append(f"{describe(item)} is listed more than once.")
        seen.add(item.pk)
    return messages


def _validate_meeting(meeting, *, topics, supports, committee):
    errors = {}
    meeting.normalize_fields()
    try:
        meeting.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if topics is not None and (messages := _repeated(topics, lambda topic: f"“{topic}”")):
        errors["topics"] = messages
    if supports is not None:
        projects = [support["project"] for support in supports]
        if messages := _repeated(projects, lambda project: f"The project {project}"):
            errors["supports"] = messages
    if committee is not None:
        people = [member["person"] for member in committee]
        if messages := _repeated(people, str):
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
