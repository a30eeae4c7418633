"""One search over meetings, works, people and institutions.

``search_site(query)`` is the only entry point. On PostgreSQL it ranks full-text matches
(weighted title/name over abstract/description, accents ignored through ``unaccent``); on
other databases it falls back to the models' ``icontains`` ``search()`` methods. Both
return the same ``SearchResults``; each kind costs one query, its total counted in the same
query by a window function, so a results page runs a fixed number of queries.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import add, and_

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Count, F, Func, Q, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IContains

from conference.models import Meeting
from conference.text import normalize_text
from papers.models import Authorship, Paper
from people.models import Institution, Person

MAX_QUERY_LENGTH = 200


class Unaccent(Func):
    """``immutable_unaccent(text)``: PostgreSQL's unaccent, declared IMMUTABLE so that the
    search indexes can use it (migration conference 0005 creates it and those indexes; an
    index on an expression serves only queries that repeat the expression exactly)."""

    function = "immutable_unaccent"
    output_field = TextField()


@dataclass
class ResultGroup:
    kind: str
    label: str
    singular: str
    results: list
    total: int

    @property
    def has_more(self):
        return self.total > len(self.results)


@dataclass
class SearchResults:
    query: str
    groups: list = field(default_factory=list)

    @property
    def total(self):
        return sum(group.total for group in self.groups)

    @property
    def found_groups(self):
        return [group for group in self.groups if group.total]


# How many people an author-name search follows to their works (a query like "a" names many).
AUTHOR_MATCHES = 200


@dataclass(frozen=True)
class _Kind:
    kind: str
    label: str
    singular: str
    queryset: object
    # (field, weight) pairs for the PostgreSQL search vector.
    weighted_fields: tuple
    config: str
    ordering: tuple
    # Fields also matched word by word as accent-free substrings, so "Edelm" finds a name.
    name_fields: tuple = ()
    # A column where PostgreSQL stores this very vector (migration conference 0005), so that
    # ranking many matches does not rebuild each one's vector from long abstracts.
    stored_vector: str = ""
    # Works are also found by their authors' names: "Edelmann" finds her papers.
    by_author_names: bool = False


def _kinds():
    return (
        _Kind(
            "meetings",
            "Meetings",
            "meeting",
            Meeting.objects.with_series(),
            (
                ("title", "A"),
                ("city", "A"),
                ("series__name", "A"),
                ("venue", "B"),
                ("description", "B"),
            ),
            "english",
            ("-start_date", "title"),
        ),
        _Kind(
            "works",
            "Works",
            "work",
            Paper.objects.with_authors(),
            (("title", "A"), ("journal", "B"), ("abstract", "B")),
            "english",
            ("-year", "title"),
            stored_vector="search_vector",
            by_author_names=True,
        ),
        _Kind(
            "people",
            "People",
            "person",
            Person.objects.all(),
            (("family_name", "A"), ("given_name", "A")),
            "simple",
            ("family_name", "given_name"),
            name_fields=("given_name", "family_name"),
        ),
        _Kind(
            "institutions",
            "Institutions",
            "institution",
            Institution.objects.all(),
            (("name", "A"), ("short_name", "A"), ("other_names", "B"), ("city", "B")),
            "simple",
            ("name",),
            name_fields=("name", "short_name", "other_names"),
        ),
    )


def _search_vector(kind):
    if kind.stored_vector:
        table = kind.queryset.model._meta.db_table
        return RawSQL(f'"{table}"."{kind.stored_vector}"', [], output_field=SearchVectorField())
    return reduce(
        add,
        (
            SearchVector(Unaccent(F(name)), weight=weight, config=kind.config)
            for name, weight in kind.weighted_fields
        ),
    )


def _postgres_matches(kind, query):
    vector = _search_vector(kind)
    search_query = SearchQuery(Unaccent(Value(query)), config=kind.config, search_type="websearch")
    matches = Q(search_vector=search_query)
    if kind.name_fields:
        words = [
            reduce(
                lambda left, right: left | right,
                (
                    Q(IContains(Unaccent(F(name)), Unaccent(Value(word))))
                    for name in kind.name_fields
                ),
            )
            for word in query.split()
        ]
        matches |= reduce(and_, words)
    if kind.by_author_names:
        # Fetched first, as a list: "vector matches OR id in (subquery)" would make PostgreSQL
        # scan the whole table, while "OR id in (1, 2, ...)" combines two index scans.
        people = next(other for other in _kinds() if other.kind == "people")
        matching_people = _postgres_matches(people, query).order_by().values("pk")
        works_by_them = Authorship.objects.filter(person__in=matching_people[:AUTHOR_MATCHES])
        matches |= Q(pk__in=list(works_by_them.values_list("paper_id", flat=True)[:2000]))
    return (
        kind.queryset.annotate(search_vector=vector, rank=SearchRank(vector, search_query))
        .filter(matches)
        .order_by("-rank", *kind.ordering)
    )


def _fallback_matches(kind, query):
    return kind.queryset.search(query).order_by(*kind.ordering)


def search_site(query, limit_per_kind=10):
    """Search every kind of record; at most ``limit_per_kind`` results each, with totals."""
    # NFC as stored: "Zoë" typed with a combining accent finds the stored "Zoë".
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query)
    if not query:
        return results
    find = _postgres_matches if connection.vendor == "postgresql" else _fallback_matches
    for kind in _kinds():
        rows = list(find(kind, query).annotate(search_total=Window(Count("pk")))[:limit_per_kind])
        total = rows[0].search_total if rows else 0
        results.groups.append(ResultGroup(kind.kind, kind.label, kind.singular, rows, total))
    return results
