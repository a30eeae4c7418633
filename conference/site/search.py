"""One search over meetings, works, people, institutions, topics, projects and series.

``search_site(query)`` is the only entry point. Every kind is matched word by word on text
folded the same way on both databases (``conference.core.folding``: accents, case and punctuation
ignored), so SQLite and PostgreSQL find the same records; PostgreSQL also matches and ranks
its full text (weighted title/name over abstract/description, stemmed). A DOI in any accepted
form finds its work, an ORCID iD its person.

The results page shows the first results of every kind with their totals, and each kind pages
through all of its results (``kind=works&page=2``): kinds differ in shape (a work has authors,
a meeting dates), so one list per kind reads better than one list mixing them, and every kind
costs one query, its total counted in the same query by a window function, so a page runs a
fixed number of queries whatever it finds.
"""

import difflib
from dataclasses import dataclass, field
from functools import reduce
from operator import add

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Count, F, FloatField, Q, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, Upper
from django.db.models.lookups import IStartsWith
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.core.folding import Folded, fold_text, matching_words, search_words
from conference.core.identifiers import normalize_doi, normalize_orcid
from conference.core.text import normalize_text
from conference.meetings.models import Meeting, Project, Series, Topic
from papers.listing import LIST_COLUMNS
from papers.models import Authorship, Paper
from people.models import PERSON_NAME_FIELDS, Institution, Person, institution_matches

MAX_QUERY_LENGTH = 200
# How many people an author-name search follows to their works (a query like "a" names many).
AUTHOR_MATCHES = 200
# How many closest matches "nothing found" suggests.
SUGGESTIONS = 5


@dataclass
class ResultGroup:
    kind: str
    label: str
    singular: str
    # The plural as it reads inside a sentence ("No people match"; German keeps its capitals).
    plural: str
    results: list
    total: int
    offset: int = 0

    @property
    def has_more(self):
        return self.total > self.offset + len(self.results)


@dataclass
class SearchResults:
    query: str
    words: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    @property
    def total(self):
        return sum(group.total for group in self.groups)

    @property
    def found_groups(self):
        return [group for group in self.groups if group.total]

    def group(self, kind):
        return next((group for group in self.groups if group.kind == kind), None)


@dataclass(frozen=True)
class _Kind:
    kind: str
    label: str
    singular: str
    plural: str
    queryset: object
    # Fields matched word by word, folded, on every database.
    fields: tuple
    ordering: tuple
    # On PostgreSQL, the fields matched word by word as well as by full text: only those with
    # a trigram index (migration conference 0005) or in small tables; None for all ``fields``.
    postgres_fields: tuple | None = None
    # PostgreSQL full text: (field, weight) pairs and the text search configuration.
    weighted_fields: tuple = ()
    config: str = "simple"
    # A column where PostgreSQL stores this very vector (``Paper.SEARCH_VECTOR_COLUMN``,
    # papers migration 0008), so that ranking many matches does not rebuild each one's vector
    # from long abstracts. This module is the only reader of that column.
    stored_vector: str = ""
    # Works are also found by their authors' names: "Edelmann" finds her papers.
    by_author_names: bool = False
    # A function ``query -> Q`` for matches in other tables (an institution's names).
    also_matching: object = None
    # Works are read as every list of works reads them (``Paper.objects.as_list_rows``,
    # papers/listing.py): these columns, each work's contributors in one more query.
    list_columns: tuple = ()


def _kinds():
    return (
        _Kind(
            "meetings",
            _("Meetings"),
            _("meeting"),
            pgettext_lazy("in a sentence", "meetings"),
            Meeting.objects.with_series(),
            ("title", "city", "venue", "series__name", "description"),
            ("-start_date", "title"),
            weighted_fields=(
                ("title", "A"),
                ("city", "A"),
                ("series__name", "A"),
                ("venue", "B"),
                ("description", "B"),
            ),
            config="english",
        ),
        _Kind(
            "works",
            # Translators: scholarly works (papers, chapters, reports).
            _("Works"),
            # Translators: a scholarly work (a paper, a chapter, a report).
            _("work"),
            pgettext_lazy("in a sentence", "works"),
            Paper.objects.all(),
            ("title", "journal", "abstract"),
            ("-year", "title"),
            postgres_fields=(),
            weighted_fields=(("title", "A"), ("journal", "B"), ("abstract", "B")),
            config="english",
            stored_vector=Paper.SEARCH_VECTOR_COLUMN,
            by_author_names=True,
            list_columns=(*LIST_COLUMNS, "doi", "abstract"),
        ),
        _Kind(
            "people",
            _("People"),
            _("person"),
            pgettext_lazy("in a sentence", "people"),
            Person.objects.all(),
            PERSON_NAME_FIELDS,
            ("family_name", "given_name"),
            weighted_fields=(("family_name", "A"), ("given_name", "A"), ("other_names", "B")),
        ),
        _Kind(
            "institutions",
            _("Institutions"),
            _("institution"),
            pgettext_lazy("in a sentence", "institutions"),
            Institution.objects.all(),
            ("name", "short_name", "city"),
            ("name",),
            postgres_fields=("name", "short_name"),
            weighted_fields=(("name", "A"), ("short_name", "A"), ("city", "B")),
            # Former names, translations, acronyms: one EXISTS on the institution's names.
            also_matching=institution_matches,
        ),
        _Kind(
            "topics",
            _("Topics"),
            _("topic"),
            pgettext_lazy("in a sentence", "topics"),
            Topic.objects.all(),
            ("name", "description"),
            (Lower("name"),),
        ),
        _Kind(
            "projects",
            _("Projects"),
            _("project"),
            pgettext_lazy("in a sentence", "projects"),
            Project.objects.all(),
            ("acronym", "title", "funder", "programme", "grant_agreement", "description"),
            (Lower("acronym"), "acronym"),
        ),
        _Kind(
            "series",
            _("Meeting series"),
            _("meeting series"),
            pgettext_lazy("in a sentence", "meeting series"),
            Series.objects.all(),
            ("name", "short_name", "description"),
            ("name",),
        ),
    )


KINDS = tuple(kind.kind for kind in _kinds())


def _identifier_matches(kind, query):
    """A DOI finds its work and an ORCID iD its person, in any form they are accepted in."""
    normalize, field_name = {
        "works": (normalize_doi, "doi"),
        "people": (normalize_orcid, "orcid"),
    }.get(kind.kind, (None, ""))
    if normalize is None:
        return Q(pk__in=[])
    try:
        return Q(**{field_name: normalize(query)})
    except ValidationError:
        return Q(pk__in=[])


def _search_vector(kind):
    if kind.stored_vector:
        table = kind.queryset.model._meta.db_table
        return RawSQL(f'"{table}"."{kind.stored_vector}"', [], output_field=SearchVectorField())
    return reduce(
        add,
        (
            SearchVector(Folded(F(name)), weight=weight, config=kind.config)
            for name, weight in kind.weighted_fields
        ),
    )


def _works_by_people_named(query):
    """Ids of works by the people a query names, as a list.

    Fetched first: "vector matches OR id in (subquery)" would make PostgreSQL scan the whole
    table, while "OR id in (1, 2, ...)" combines two index scans.
    """
    people = Person.objects.filter(matching_words(query, PERSON_NAME_FIELDS))
    authorships = Authorship.objects.filter(
        person__in=people.order_by().values("pk")[:AUTHOR_MATCHES]
    )
    return list(authorships.values_list("paper_id", flat=True)[:2000])


def _matches(kind, query, works_by_authors=()):
    postgresql = connection.vendor == "postgresql"
    fields = kind.fields
    if postgresql and kind.postgres_fields is not None:
        fields = kind.postgres_fields
    matches = _identifier_matches(kind, query)
    if fields:
        matches |= matching_words(query, fields)
    if kind.by_author_names:
        matches |= Q(pk__in=works_by_authors)
    if kind.also_matching:
        matches |= kind.also_matching(query)
    queryset = kind.queryset
    if postgresql and kind.weighted_fields:
        vector = _search_vector(kind)
        search_query = SearchQuery(
            Folded(Value(query)), config=kind.config, search_type="websearch"
        )
        queryset = queryset.annotate(search_vector=vector, rank=SearchRank(vector, search_query))
        matches |= Q(search_vector=search_query)
        return queryset.filter(matches).order_by("-rank", *kind.ordering)
    return queryset.filter(matches).order_by(*kind.ordering)


def search_site(query, *, kind=None, offset=0, limit=10):
    """Search every kind of record (or only ``kind``); ``limit`` results each from ``offset``,
    with totals. When nothing is found, ``suggestions`` holds the closest names."""
    # NFC as stored: "Zoë" typed with a combining accent finds the stored "Zoë".
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query, words=search_words(query))
    if not results.words:
        return results
    works_by_authors = _works_by_people_named(query) if kind in (None, "works") else []
    for searched in _kinds():
        if kind and searched.kind != kind:
            continue
        matches = _matches(searched, query, works_by_authors)
        counted = matches.annotate(search_total=Window(Count("pk")))
        if searched.list_columns:
            counted = counted.as_list_rows((*searched.list_columns, "search_total"))
        rows = list(counted[offset : offset + limit])
        total = rows[0].search_total if rows else 0
        if not rows and offset:
            # Past the last page: the total still says how many there are.
            total = matches.count()
        results.groups.append(
            ResultGroup(
                searched.kind,
                searched.label,
                searched.singular,
                searched.plural,
                rows,
                total,
                offset,
            )
        )
    if not results.total and not offset:
        results.suggestions = suggest(query)
    return results


def count_by_kind(query):
    """``[(kind, label, total)]`` for every kind, in two queries (one counts them all)."""
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    if not search_words(query):
        return []
    works_by_authors = _works_by_people_named(query)
    counts = [
        _matches(kind, query, works_by_authors)
        .order_by()
        .annotate(search_kind=Value(kind.kind, output_field=CharField()))
        .values("search_kind")
        .annotate(total=Count("pk"))
        .values_list("search_kind", "total")
        for kind in _kinds()
    ]
    totals = dict(counts[0].union(*counts[1:], all=True))
    return [(kind.kind, kind.label, totals.get(kind.kind, 0)) for kind in _kinds()]


def _suggestion_sources():
    return (
        (Person.objects.all(), "family_name"),
        (Institution.objects.all(), "name"),
        (Topic.objects.all(), "name"),
        (Meeting.objects.all(), "city"),
        (Project.objects.all(), "acronym"),
    )


def suggest(query):
    """Up to ``SUGGESTIONS`` recorded names closest to ``query``, closest first, in one query.

    PostgreSQL ranks by trigram similarity (pg_trgm) of the folded names. SQLite has no
    trigrams: names sharing the query's first folded letter are ranked by difflib's ratio,
    the same idea (shared runs of characters) computed in Python.
    """
    folded = fold_text(query)
    if not folded:
        return []
    if connection.vendor == "postgresql":
        parts = [
            queryset.annotate(
                similarity=TrigramSimilarity(Upper(Folded(F(name))), folded.upper()),
                suggestion=F(name),
            )
            .filter(similarity__gt=0.3)
            .order_by()
            .values_list("suggestion", "similarity")
            for queryset, name in _suggestion_sources()
        ]
        rows = parts[0].union(*parts[1:]).order_by("-similarity", "suggestion")[: SUGGESTIONS * 3]
        names = [name for name, _ in rows]
    else:
        parts = [
            queryset.filter(Q(**{f"{name}__gt": ""}))
            .annotate(suggestion=F(name), similarity=Value(0.0, output_field=FloatField()))
            .filter(IStartsWith(Folded(F(name)), folded[0]))
            .order_by()
            .values_list("suggestion", "similarity")
            for queryset, name in _suggestion_sources()
        ]
        candidates = {name for name, _ in parts[0].union(*parts[1:])}
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, folded, fold_text(name)).ratio(), name)
                for name in candidates
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        names = [name for score, name in scored if score >= 0.6]
    unique = []
    for name in names:
        if fold_text(name) != folded and name not in unique:
            unique.append(name)
    return unique[:SUGGESTIONS]
