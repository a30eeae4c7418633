"""The records OAI-PMH serves: works and meetings, live or deleted, in datestamp order.

Four sources answer a list: live works, live meetings, and works and meetings whose deletion
the edit history (django-simple-history) recorded. Each is read in the order
``(datestamp, kind, slug)`` after the last record a harvester has seen (keyset paging), so a
page costs the same at the first record as at the 20,000th and a record changed during a
harvest moves to the end instead of being skipped. One page reads at most ``page_size + 1``
keys from each source, then the records of the page with their relations: a fixed number of
queries whatever the page and the archive's size.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q

from conference.meetings.models import Meeting, Series
from harvest import items
from papers.models import Paper, Presentation


@dataclass(frozen=True)
class Position:
    """Where a list stands: the key of the last record sent."""

    datestamp: datetime.datetime
    kind: int
    slug: str


@dataclass
class Record:
    kind_name: str  # "paper" or "meeting": the identifier's first part
    slug: str
    datestamp: datetime.datetime
    deleted: bool = False
    sets: list = field(default_factory=list)
    obj: object = None  # the Paper or Meeting, with its relations, for live records

    @property
    def local_identifier(self):
        return f"{self.kind_name}/{self.slug}"


class SetDoesNotExist(Exception):
    pass


def set_specs_of_meeting(meeting):
    return [meeting.series.slug, f"{meeting.series.slug}:{meeting.slug}"]


def all_sets():
    """``[(setSpec, setName)]``: each series, and each meeting inside its series."""
    sets = []
    meetings = Meeting.objects.select_related("series").order_by("series__name", "-start_date")
    by_series = {}
    for meeting in meetings:
        by_series.setdefault(meeting.series_id, []).append(meeting)
    for series in Series.objects.order_by("name"):
        sets.append((series.slug, series.name))
        for meeting in by_series.get(series.pk, []):
            sets.append((f"{series.slug}:{meeting.slug}", meeting.display_title))
    return sets


def has_sets():
    return Series.objects.exists()


@dataclass(frozen=True)
class Selection:
    """The arguments of a list request: datestamp bounds (``until`` exclusive) and a set."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    set_spec: str = ""

    def meetings_in_set(self):
        series_slug, _, meeting_slug = self.set_spec.partition(":")
        meetings = Meeting.objects.filter(series__slug=series_slug)
        if meeting_slug:
            meetings = meetings.filter(slug=meeting_slug)
        return meetings

    def check_set(self):
        """A series set exists while its series does, even with no meetings yet."""
        if not self.set_spec or self.meetings_in_set().exists():
            return
        if ":" in self.set_spec or not Series.objects.filter(slug=self.set_spec).exists():
            raise SetDoesNotExist(self.set_spec)


class Source:
    """One of the four kinds of record, with the queries that list it."""

    kind = 0
    kind_name = ""
    date_field = "updated_at"

    def rows(self, selection):
        raise NotImplementedError

    def in_set(self, rows, selection):
        raise NotImplementedError

    def selected(self, selection):
        rows = self.rows(selection)
        if selection.start is not None:
            rows = rows.filter(**{f"{self.date_field}__gte": selection.start})
        if selection.end is not None:
            rows = rows.filter(**{f"{self.date_field}__lt": selection.end})
        if selection.set_spec:
            rows = self.in_set(rows, selection)
        return rows

    def after(self, rows, position):
        """Rows whose key ``(datestamp, kind, slug)`` comes after ``position``."""
        if position is None:
            return rows
        at, later = f"{self.date_field}", f"{self.date_field}__gt"
        if self.kind > position.kind:
            return rows.filter(**{f"{at}__gte": position.datestamp})
        if self.kind < position.kind:
            return rows.filter(**{later: position.datestamp})
        # The >= bound lets the database read the datestamp index as a range.
        return rows.filter(**{f"{at}__gte": position.datestamp}).filter(
            Q(**{later: position.datestamp}) | Q(slug__gt=position.slug)
        )

    def keys(self, selection, position, limit):
        rows = self.after(self.selected(selection), position)
        return [
            (row[self.date_field], self.kind, row["slug"])
            for row in rows.order_by(self.date_field, "slug").values(self.date_field, "slug")[
                :limit
            ]
        ]

    def count(self, selection):
        return self.selected(selection).count()


class LiveWorks(Source):
    kind = 1
    kind_name = "paper"

    def rows(self, selection):
        return Paper.objects.all()

    def in_set(self, rows, selection):
        presented = Presentation.objects.filter(meeting__in=selection.meetings_in_set())
        return rows.filter(pk__in=presented.values("paper_id"))

    def load(self, slugs, *, with_metadata):
        works = Paper.objects.filter(slug__in=slugs)
        if with_metadata:
            works = items.works_for_harvest(works)
        else:
            works = works.prefetch_related("presentations__meeting__series")
        return {
            work.slug: Record(
                "paper",
                work.slug,
                work.updated_at,
                sets=sorted(
                    {
                        spec
                        for presentation in work.presentations.all()
                        for spec in set_specs_of_meeting(presentation.meeting)
                    }
                ),
                obj=work,
            )
            for work in works
        }


class LiveMeetings(Source):
    kind = 0
    kind_name = "meeting"

    def rows(self, selection):
        return Meeting.objects.all()

    def in_set(self, rows, selection):
        return rows.filter(pk__in=selection.meetings_in_set().values("pk"))

    def load(self, slugs, *, with_metadata):
        meetings = Meeting.objects.filter(slug__in=slugs)
        if with_metadata:
            meetings = items.meetings_for_harvest(meetings)
        else:
            meetings = meetings.select_related("series")
        return {
            meeting.slug: Record(
                "meeting",
                meeting.slug,
                meeting.updated_at,
                sets=set_specs_of_meeting(meeting),
                obj=meeting,
            )
            for meeting in meetings
        }


class DeletedRecords(Source):
    """Records the edit history saw deleted and that do not exist again under that slug."""

    model = None
    date_field = "deleted_at"

    def rows(self, selection):
        live_slugs = self.model.objects.values("slug")
        return (
            self.model.history.filter(history_type="-")
            .exclude(slug__in=live_slugs)
            .values("slug")
            .annotate(deleted_at=Max("history_date"))
        )

    def load(self, slugs, *, with_metadata):
        rows = self.rows(None).filter(slug__in=slugs)
        return {
            row["slug"]: Record(self.kind_name, row["slug"], row["deleted_at"], deleted=True)
            for row in rows
        }


class DeletedWorks(DeletedRecords):
    kind = 3
    kind_name = "paper"
    model = Paper

    def in_set(self, rows, selection):
        presented = Presentation.history.filter(
            meeting_id__in=selection.meetings_in_set().values("pk")
        ).values("paper_id")
        return rows.filter(id__in=presented)


class DeletedMeetings(DeletedRecords):
    kind = 2
    kind_name = "meeting"
    model = Meeting

    def in_set(self, rows, selection):
        series_slug, _, meeting_slug = selection.set_spec.partition(":")
        if meeting_slug:
            # A deleted meeting's own set is gone with it; its series' set remains.
            return rows.none()
        return rows.filter(series_id__in=Series.objects.filter(slug=series_slug).values("pk"))


SOURCES = [LiveMeetings(), LiveWorks(), DeletedMeetings(), DeletedWorks()]
SOURCES_BY_KIND = {source.kind: source for source in SOURCES}


def count(selection):
    return sum(source.count(selection) for source in SOURCES)


def page(selection, position, page_size, *, with_metadata):
    """The next ``page_size`` records after ``position``, and whether more follow."""
    keys = sorted(
        key for source in SOURCES for key in source.keys(selection, position, page_size + 1)
    )
    more = len(keys) > page_size
    keys = keys[:page_size]
    loaded = {}
    for kind, source in SOURCES_BY_KIND.items():
        slugs = [slug for _, key_kind, slug in keys if key_kind == kind]
        if slugs:
            loaded[kind] = source.load(slugs, with_metadata=with_metadata)
    records = [loaded[kind][slug] for _, kind, slug in keys if slug in loaded[kind]]
    last = Position(*keys[-1]) if keys else None
    return records, last, more


def get(kind_name, slug, *, with_metadata=True):
    """One record by its identifier's parts, live or deleted, or None."""
    for source in SOURCES:
        if source.kind_name == kind_name:
            record = source.load([slug], with_metadata=with_metadata).get(slug)
            if record is not None:
                return record
    return None


def earliest_datestamp():
    """The oldest datestamp of any record, or None for an empty archive."""
    stamps = []
    for source in SOURCES:
        first = source.selected(Selection()).order_by(source.date_field).values(source.date_field)
        row = first.first()
        if row is not None:
            stamps.append(row[source.date_field])
    return min(stamps) if stamps else None
