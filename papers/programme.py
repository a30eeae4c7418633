"""A meeting's programme, the one reader every view of it uses: the meeting page, a session's
page, the API's meeting and session details, the calendar and the frab schedule exports.

The programme reads by day, then session (time, room, chairs), then talk: the work, all its
authors in order with the presenters marked and their institutions at the time, and its
discussants. The largest programmes hold 400 talks in 100 sessions; built from model
instances (every person and institution with all their columns, dates parsed, country fields
wrapped) such a page took some 200 ms. Here each table is read once as plain rows, only the
columns shown (``Session.objects.programme_rows`` and the ``programme_rows`` of talks,
authors, presenters, chairs and discussants), six queries whatever the size, and each row
becomes a small immutable record with the attributes templates and ``author_list`` use
(``get_absolute_url``, ``full_name``, ``short_name`` …).

A programme too large for one page is read a day at a time (``Programme.one_day``): every
session (for the index of days and sessions), but the chairs, talks, authors and discussants
of that day's sessions only.
"""

import itertools
from dataclasses import dataclass, field, replace

from conference.core.base import slug_url_builder
from conference.core.dates import format_time_range
from conference.core.identifiers import doi_url
from conference.core.text import country_name
from conference.meetings.models import ProgrammePart, Session, SessionChair, session_url
from papers.models import Authorship, Discussant, Presentation, Presenter
from people.models import person_full_name


class _PageRecord:
    """A record with a public page, answering ``get_absolute_url`` as its model does."""

    __slots__ = ()

    def get_absolute_url(self):
        return self.url


@dataclass(frozen=True, slots=True)
class InstitutionRef(_PageRecord):
    id: int
    url: str
    slug: str
    name: str
    short_name: str
    country: str  # ISO code

    @property
    def country_name(self):
        # On demand: a day of a large programme names some 200 institutions and shows none
        # of their countries.
        return country_name(self.country)

    @property
    def display_short_name(self):
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class PersonRef(_PageRecord):
    id: int
    url: str
    slug: str
    full_name: str


@dataclass(frozen=True, slots=True)
class PaperRef(_PageRecord):
    id: int
    url: str
    slug: str
    title: str
    kind: str
    year: int | None
    doi: str

    @property
    def doi_url(self):
        return doi_url(self.doi) if self.doi else ""


@dataclass(frozen=True, slots=True)
class RoomRef:
    id: int
    name: str
    capacity: int | None


@dataclass(frozen=True, slots=True)
class PersonAt:
    """A person with their institution at the time (a chair, a discussant): what
    ``author_list`` shows for anyone with ``.person`` and ``.affiliation``."""

    person: PersonRef
    affiliation: InstitutionRef | None
    position: int


@dataclass(frozen=True, slots=True)
class Contributor:
    """An author of the presented work, in author order; ``presenter_position`` orders those
    who presented (None for a co-author who did not)."""

    person: PersonRef
    affiliation: InstitutionRef | None
    position: int
    presenter_position: int | None

    @property
    def is_presenter(self):
        return self.presenter_position is not None


@dataclass(frozen=True, slots=True)
class Talk:
    id: int
    position: int
    start: object  # datetime.time | None, in the meeting's time zone
    end: object
    paper: PaperRef
    authors: tuple[Contributor, ...]
    discussants: tuple[PersonAt, ...]
    session_slug: str | None

    @property
    def presenters(self):
        """The authors who presented, in the order they presented."""
        return sorted(
            (author for author in self.authors if author.is_presenter),
            key=lambda author: author.presenter_position,
        )

    @property
    def time_range(self):
        return format_time_range(self.start, self.end)


@dataclass(frozen=True, slots=True)
class ProgrammeSession(_PageRecord):
    id: int
    slug: str
    url: str
    title: str
    kind: str
    kind_label: str
    day: object  # datetime.date
    start: object  # datetime.time | None
    end: object
    room: RoomRef | None
    chairs: tuple[PersonAt, ...]
    description: str
    position: int
    talks: tuple[Talk, ...]
    # In an overview (read without talks): how many talks the session holds, as the database
    # counted them. None when the talks were read (count ``talks``) or not (another day's).
    talk_count: int | None = None

    @property
    def time_range(self):
        return format_time_range(self.start, self.end)


@dataclass(frozen=True, slots=True)
class ProgrammeDay:
    date: object  # datetime.date
    sessions: tuple[ProgrammeSession, ...]


# ``Programme.selected_day`` of a programme read for the talks in no session.
OTHER_TALKS = "other"


@dataclass(frozen=True)
class Programme:
    """One meeting's programme (or one session of it): days with their sessions, in time
    order, and the talks not placed in a session.

    Read for one day (``one_day``), every session is there but only those of
    ``selected_day`` (a date, or ``OTHER_TALKS`` for the talks in no session) have their
    chairs and talks; read as an ``overview``, every session has its chairs and
    ``talk_count`` but no talks. ``unscheduled_count`` counts the talks in no session
    either way."""

    meeting: object
    days: tuple[ProgrammeDay, ...]
    unscheduled: tuple[Talk, ...] = ()
    _institutions: list = field(default_factory=list, repr=False, compare=False)
    selected_day: object = None
    unscheduled_count: int | None = None
    is_overview: bool = False

    def __post_init__(self):
        if self.unscheduled_count is None:
            object.__setattr__(self, "unscheduled_count", len(self.unscheduled))

    @classmethod
    def of(cls, meeting, *, session=None):
        """Read ``meeting``'s programme, or only ``session``'s part of it, in six queries."""
        return _Reader(meeting).read(ProgrammePart(meeting, session=session))

    @classmethod
    def one_day(cls, meeting, day, *, unscheduled_count):
        """Every session of ``meeting``, and the chairs and talks of one day's sessions only:
        the day ``day`` names (an ISO date; the first day for anything else), or for
        ``OTHER_TALKS`` the talks in no session (``unscheduled_count`` of them, as
        ``Meeting.objects.with_talk_counts(unscheduled=True)`` counts). Six queries."""

        def part(days):
            if (day == OTHER_TALKS and unscheduled_count) or not days:
                return ProgrammePart(meeting, unscheduled=True), OTHER_TALKS
            chosen = next((date for date in days if date.isoformat() == day), days[0])
            return ProgrammePart(meeting, day=chosen), chosen

        return _Reader(meeting).read(
            ProgrammePart(meeting), choose=part, unscheduled_count=unscheduled_count
        )

    @classmethod
    def overview(cls, meeting, *, unscheduled_count):
        """Every session of ``meeting`` with its chairs and how many talks it holds, and no
        talks: the first page of a large programme, whose talks are on each day's and each
        session's page. Two queries."""
        return _Reader(meeting).read_overview(
            ProgrammePart(meeting), unscheduled_count=unscheduled_count
        )

    @property
    def shown_days(self):
        """The days shown: all of them (with their talks, or in an overview without), or the
        selected one."""
        if self.selected_day is None:
            return self.days
        return tuple(day for day in self.days if day.date == self.selected_day)

    @property
    def shows_other_talks(self):
        """Whether the talks in no session were read."""
        return not self.is_overview and self.selected_day in (None, OTHER_TALKS)

    @property
    def time_zone(self):
        return self.meeting.zone_name

    @property
    def sessions(self):
        """Every session, day by day in time order."""
        return [session for day in self.days for session in day.sessions]

    @property
    def talks(self):
        """Every talk: the scheduled ones in programme order, then the unscheduled."""
        scheduled = (talk for session in self.sessions for talk in session.talks)
        return [*scheduled, *self.unscheduled]

    def __len__(self):
        return len(self.talks)

    def __bool__(self):
        return bool(self.days or self.unscheduled_count)

    @property
    def institutions(self):
        """Every institution an author, chair or discussant came from, once, by the
        abbreviation the page shows."""
        return sorted(self._institutions, key=lambda institution: institution.display_short_name)


def _in_time_order(session):
    # Untimed sessions of a day follow the timed ones, in their programme order.
    return (session.start is None, session.start or 0, session.position)


class _Reader:
    def __init__(self, meeting):
        self.meeting = meeting
        self.person_url = slug_url_builder("people:person_detail")
        self.institution_url = slug_url_builder("people:institution_detail")
        self.paper_url = slug_url_builder("papers:paper_detail")
        self.meeting_slug = meeting.slug
        self.people = {}
        self.institutions = {}
        self.kinds = {value: str(label) for value, label in Session.Kind.choices}

    def institution(self, row, prefix):
        institution_id = row[f"{prefix}_id"]
        if institution_id is None:
            return None
        institution = self.institutions.get(institution_id)
        if institution is None:
            slug = row[f"{prefix}__slug"]
            institution = self.institutions[institution_id] = InstitutionRef(
                id=institution_id,
                url=self.institution_url(slug),
                slug=slug,
                name=row[f"{prefix}__name"],
                short_name=row[f"{prefix}__short_name"],
                country=row[f"{prefix}__country"],
            )
        return institution

    def person(self, row, prefix):
        slug = row[f"{prefix}__slug"]
        person = self.people.get(slug)
        if person is None:
            person = self.people[slug] = PersonRef(
                id=row[f"{prefix}_id"],
                url=self.person_url(slug),
                slug=slug,
                full_name=person_full_name(
                    row[f"{prefix}__given_name"], row[f"{prefix}__family_name"]
                ),
            )
        if row.get("printed_name"):
            # The name as this programme or work prints it ("T. Steen"), linked to the person.
            return replace(person, full_name=row["printed_name"])
        return person

    def people_at(self, rows, key):
        grouped = {}
        for row in rows:
            grouped.setdefault(row[key], []).append(
                PersonAt(
                    self.person(row, "person"),
                    self.institution(row, "affiliation"),
                    row["position"],
                )
            )
        return grouped

    def session(self, row, chairs, talks=(), talk_count=None):
        return ProgrammeSession(
            id=row["id"],
            slug=row["slug"],
            url=session_url(self.meeting_slug, row["slug"]),
            title=row["title"],
            kind=row["kind"],
            kind_label=self.kinds.get(row["kind"], row["kind"]),
            day=row["day"],
            start=row["start_time"],
            end=row["end_time"],
            room=(
                RoomRef(row["room_id"], row["room__name"], row["room__capacity"])
                if row["room_id"] is not None
                else None
            ),
            chairs=tuple(chairs.get(row["id"], ())),
            description=row["description"],
            position=row["position"],
            talks=tuple(talks),
            talk_count=talk_count,
        )

    @staticmethod
    def days(sessions):
        """Sessions grouped by day, each day's in time order."""
        by_day = sorted(sessions, key=lambda session: session.day)
        return tuple(
            ProgrammeDay(date, tuple(sorted(group, key=_in_time_order)))
            for date, group in itertools.groupby(by_day, key=lambda session: session.day)
        )

    def read_overview(self, part, *, unscheduled_count):
        """Every session of ``part`` with its chairs and talk count, without talks."""
        sessions = Session.objects.programme_rows(part, talk_counts=True)
        chairs = self.people_at(SessionChair.objects.programme_rows(part), "session_id")
        days = self.days(
            self.session(row, chairs, talk_count=row["talk_count"]) for row in sessions
        )
        return Programme(
            self.meeting,
            days,
            (),
            list(self.institutions.values()),
            unscheduled_count=unscheduled_count,
            is_overview=True,
        )

    def read(self, part, *, choose=None, unscheduled_count=None):
        """The programme of ``part``; with ``choose``, every session of ``part`` but the
        talks of the part ``choose(days of the sessions)`` answers, with the day it names."""
        sessions = list(Session.objects.programme_rows(part))
        selected_day = None
        if choose is not None:
            part, selected_day = choose(sorted({row["day"] for row in sessions}))
        chairs = self.people_at(SessionChair.objects.programme_rows(part), "session_id")
        talks = Presentation.objects.programme_rows(part)
        presenting = {
            row["authorship_id"]: row["position"] for row in Presenter.objects.programme_rows(part)
        }
        authors = {}
        for row in Authorship.objects.programme_rows(part):
            authors.setdefault(row["paper_id"], []).append(
                Contributor(
                    self.person(row, "person"),
                    self.institution(row, "affiliation"),
                    row["position"],
                    presenting.get(row["id"]),
                )
            )
        discussants = self.people_at(Discussant.objects.programme_rows(part), "presentation_id")
        session_slugs = {row["id"]: row["slug"] for row in sessions}
        talks_by_session = {}
        for row in talks:
            talk = Talk(
                id=row["id"],
                position=row["position"],
                start=row["start_time"],
                end=row["end_time"],
                paper=PaperRef(
                    id=row["paper_id"],
                    url=self.paper_url(row["paper__slug"]),
                    slug=row["paper__slug"],
                    title=row["paper__title"],
                    kind=row["paper__kind"],
                    year=row["paper__year"],
                    doi=row["paper__doi"],
                ),
                authors=tuple(authors.get(row["paper_id"], ())),
                discussants=tuple(discussants.get(row["id"], ())),
                session_slug=session_slugs.get(row["session_id"]),
            )
            talks_by_session.setdefault(row["session_id"], []).append(talk)
        days = self.days(
            self.session(row, chairs, talks_by_session.get(row["id"], ())) for row in sessions
        )
        return Programme(
            self.meeting,
            days,
            tuple(talks_by_session.get(None, ())),
            list(self.institutions.values()),
            selected_day=selected_day,
            unscheduled_count=unscheduled_count,
        )
