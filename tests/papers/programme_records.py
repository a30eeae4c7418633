"""Hand-built programme records (the reader's dataclasses) for the format builders' tests:
the frab schedule, the calendars and the JSON-LD are pure functions of these values."""

import datetime

from conference.meetings.models import Meeting, Series
from papers.programme import (
    Contributor,
    InstitutionRef,
    PaperRef,
    PersonAt,
    PersonRef,
    Programme,
    ProgrammeDay,
    ProgrammeSession,
    RoomRef,
    Talk,
)


def meeting(**fields):
    """An unsaved meeting: the builders read its slug, title, dates, place and time zone."""
    values = {
        "slug": "coproduction-2024-leuven",
        "series": Series(name="IIAS Study Group on Coproduction", slug="coproduction"),
        "edition": 11,
        "kind": "open meeting",
        "title": "11th open meeting",
        "start_date": datetime.date(2024, 5, 15),
        "end_date": datetime.date(2024, 5, 17),
        "city": "Leuven",
        "country": "BE",
        "venue": "Faculty Club",
        "updated_at": datetime.datetime(2024, 4, 1, 12, 0, tzinfo=datetime.UTC),
    }
    values.update(fields)
    return Meeting(**values)


def institution(name):
    slug = name.lower().replace(" ", "-")
    return InstitutionRef(
        id=sum(map(ord, slug)),
        url=f"/institutions/{slug}/",
        slug=slug,
        name=name,
        short_name="",
        country="",
    )


def person(full_name, affiliation=None):
    slug = full_name.lower().replace(" ", "-")
    return PersonAt(
        person=PersonRef(
            id=sum(map(ord, slug)), url=f"/people/{slug}/", slug=slug, full_name=full_name
        ),
        affiliation=institution(affiliation) if affiliation else None,
        position=1,
    )


def author(full_name, affiliation=None, *, presenter=False, position=1):
    """An author; ``presenter`` marks one who presented (first among the presenters)."""
    at = person(full_name, affiliation)
    return Contributor(
        person=at.person,
        affiliation=at.affiliation,
        position=position,
        presenter_position=1 if presenter else None,
    )


def talk(talk_id, title, authors, *, discussants=(), start=None, end=None, session=None, doi=""):
    slug = title.lower().replace(" ", "-")
    return Talk(
        id=talk_id,
        position=talk_id,
        start=start,
        end=end,
        paper=PaperRef(
            id=talk_id,
            url=f"/papers/{slug}/",
            slug=slug,
            title=title,
            kind="presentation",
            year=2024,
            doi=doi,
        ),
        authors=tuple(authors),
        discussants=tuple(discussants),
        session_slug=session,
    )


def session(slug, title, day, *, start=None, end=None, room=None, chairs=(), talks=(), **more):
    values = {
        "id": sum(map(ord, slug)),
        "slug": slug,
        "url": f"/meetings/coproduction-2024-leuven/sessions/{slug}/",
        "title": title,
        "kind": "paper_session",
        "kind_label": "Paper session",
        "day": day,
        "start": start,
        "end": end,
        "room": RoomRef(id=1, name=room, capacity=None) if room else None,
        "chairs": tuple(chairs),
        "description": "",
        "position": 1,
        "talks": tuple(talks),
    }
    values.update(more)
    return ProgrammeSession(**values)


def programme(the_meeting, sessions=(), unscheduled=()):
    days = {}
    for item in sessions:
        days.setdefault(item.day, []).append(item)
    return Programme(
        meeting=the_meeting,
        days=tuple(
            ProgrammeDay(date=date, sessions=tuple(items)) for date, items in sorted(days.items())
        ),
        unscheduled=tuple(unscheduled),
    )
