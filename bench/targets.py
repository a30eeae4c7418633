"""What to load: the endpoints, resolved against the dataset, and their query counts.

Runs inside the benchmark process with Django set up for the benchmark database.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

SEARCH_QUERY = "participatory budgeting"


@dataclass
class Endpoint:
    name: str
    path: str


def resolve_endpoints():
    """(endpoints, left_out): the benchmark's endpoints for the current dataset."""
    from bench.sample_data import largest_meeting
    from papers.models import Paper
    from people.models import Person

    meeting = largest_meeting()
    paper = (
        Paper.objects.filter(presentations__meeting=meeting)
        .annotate(author_count=Count("authorships"))
        .order_by("-author_count", "slug")
        .first()
    )
    person = (
        Person.objects.annotate(work_count=Count("authorships"))
        .order_by("-work_count", "slug")
        .first()
    )
    endpoints = [
        Endpoint("/healthz", "/healthz"),
        Endpoint("/", "/"),
        Endpoint("meeting page", meeting.get_absolute_url()),
        Endpoint("paper page", paper.get_absolute_url()),
        Endpoint("person page", person.get_absolute_url()),
        Endpoint("search", f"/search/?{urlencode({'q': SEARCH_QUERY})}"),
        Endpoint("api meeting", f"/api/meetings/{meeting.slug}/"),
        Endpoint("api papers 50", "/api/papers/?page_size=50"),
    ]
    bibtex = f"{meeting.get_absolute_url()}?{urlencode({'format': 'bibtex'})}"
    endpoints.append(Endpoint("meeting bibtex", bibtex))
    endpoints += [
        Endpoint("series page", meeting.series.get_absolute_url()),
        Endpoint("works index, page 3", f"/papers/?{urlencode({'page': 3})}"),
        # One kind of results paged, with every kind's count: the search's facets.
        Endpoint(
            "search, works page 2",
            f"/search/?{urlencode({'q': SEARCH_QUERY, 'kind': 'works', 'page': 2})}",
        ),
    ]
    return endpoints, []


def count_queries(path, host="127.0.0.1"):
    """(status, queries) for one anonymous GET, measured in this process."""
    client = Client(HTTP_HOST=host)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries.captured_queries)
