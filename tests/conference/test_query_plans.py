"""The busiest pages read large tables through indexes, never by scanning them whole.

Generates a sample archive large enough for PostgreSQL's planner to prefer indexes where
they exist, requests each page while capturing its queries, and runs ``EXPLAIN`` on every
query: a sequential scan of a large table means a missing index or a query that cannot use
one (such as an ordering that joins other tables, or UNACCENT() around an indexed column).
"""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.sample_data import generate_sample_data
from conference.meetings.models import Meeting
from conference.site.search import _kinds, _matches

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans, GIN and trigram indexes exist only on PostgreSQL "
        "(run with DATABASE_URL=postgres://...)",
    ),
]

# 4,000 works, 16,000 authorships, 8,000 people: plenty for the planner, ~10 s to generate.
SCALE = 0.2
LARGE_TABLES = {
    "papers_authorship",
    "papers_paper",
    "people_person",
    "papers_presentation",
    "papers_presenter",
}
SEQUENTIAL_SCAN = re.compile(r"Seq Scan on (\w+)")
# The paginator's total, ``SELECT COUNT(*) FROM papers_paper`` without a condition, reads
# every row whatever the indexes: it is the one whole-table read a list page needs.
UNFILTERED_COUNT = re.compile(r'^SELECT COUNT\(\*\) AS "__count" FROM "\w+"$')


def sequential_scans(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return sorted(set(SEQUENTIAL_SCAN.findall(plan)) & LARGE_TABLES), plan


def page_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return [query["sql"] for query in captured.captured_queries]


def typical_meeting():
    """A meeting of median size. (The largest, 400 talks, is a tenth of this small archive:
    reading the whole presenters table is then rightly cheaper than 400 index lookups.)"""
    meetings = list(
        Meeting.objects.annotate(talks=Count("presentations"))
        .filter(talks__gt=0)
        .order_by("talks", "slug")
    )
    return meetings[len(meetings) // 2]


def test_busy_pages_read_large_tables_through_indexes(client, settings):
    settings.PAGE_CACHE = False
    generate_sample_data(scale=SCALE, seed=1)
    # Statistics, as autovacuum would gather them soon after a bulk load (python -m bench
    # runs VACUUM ANALYZE too): without them the planner takes the new tables for empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    meeting = typical_meeting()
    assert meeting.talks >= 20
    pages = {
        "meeting page": meeting.get_absolute_url(),
        "meeting API": reverse("api:meeting-detail", args=[meeting.slug]),
        "works API": "/api/papers/?page_size=50",
        "works API, a later page": "/api/papers/?page_size=50&page=20",
        "search for words": "/search/?q=participatory+budgeting",
        "search for part of a name": "/search/?q=M%C3%BCll",
        "search for two name parts": "/search/?q=steen+mar",
        # Not the series page: here a series holds a fifth of all talks, and reading the
        # presenters of a fifth of the archive whole is rightly cheaper than by index.
        "search, one kind paged": "/search/?q=participatory+budgeting&kind=works&page=2",
        "works index, filtered and paged": f"/papers/?meeting={meeting.slug}&page=1",
        "people index by letter": "/people/?letter=M&page=2",
        "institutions index by works": "/institutions/?sort=works",
    }
    scanned = []
    explained = 0
    for label, path in pages.items():
        for sql in page_queries(client, path):
            if UNFILTERED_COUNT.match(sql):
                continue
            tables, plan = sequential_scans(sql)
            explained += 1
            if tables:
                scanned.append(f"{label}: {', '.join(tables)} scanned by\n{sql}\n{plan}")

    assert explained >= 25
    assert not scanned, "\n\n".join(scanned)

    # The search indexes hold immutable_unaccent() expressions: search.py must repeat them.
    kinds = {kind.kind: kind for kind in _kinds()}
    for kind, expected in (
        ("works", "paper_search_vector_idx"),
        ("people", "person_family_name_trgm_idx"),
    ):
        query = _matches(kinds[kind], "Müller")
        sql, params = query.query.sql_with_params()
        tables, plan = sequential_scans(sql, params)
        assert expected in plan, plan
        assert not tables, plan
