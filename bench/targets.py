"""What to load: the endpoints, resolved against the dataset, and their query counts.

    python -m bench.targets

Run by the benchmark (bench/cli.py) in a process of its own, with the environment of the
server it measures (the benchmark database, the page cache on or off); prints JSON:
``{"endpoints": [{"name", "path"}...], "left_out": [...], "queries": {path: count}}``, the
queries of one anonymous GET of each endpoint after a first one has filled the per-process
caches.
"""

import json
import sys
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import django_setup  # noqa: F401  (first: the models below need Django set up)
from bench.load import Endpoint
from bench.sample_data import largest_meeting
from conference.meetings.models import Session
from papers.models import Paper
from people.models import Person

SEARCH_QUERY = "participatory budgeting"


def resolve_endpoints():
    """(endpoints, left_out): the benchmark's endpoints for the current dataset, and what it
    cannot measure there (a session page where the largest meeting has none)."""
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
    # The session with the most talks: its page lists every author, institution and discussant.
    session = (
        Session.objects.of_meeting(meeting)
        .annotate(talk_count=Count("talks"))
        .order_by("-talk_count", "position")
        .first()
    )
    left_out = []
    if session is not None:
        endpoints.append(Endpoint("session page", session.get_absolute_url()))
    else:
        left_out.append("session page: the largest meeting has no sessions")
    endpoints += [
        Endpoint("schedule.xml", f"{meeting.get_absolute_url()}schedule.xml"),
        Endpoint("schedule.json", f"{meeting.get_absolute_url()}schedule.json"),
    ]
    endpoints += [
        Endpoint("series page", meeting.series.get_absolute_url()),
        Endpoint("works index, page 3", f"/papers/?{urlencode({'page': 3})}"),
        # One kind of results paged, with every kind's count: the search's facets.
        Endpoint(
            "search, works page 2",
            f"/search/?{urlencode({'q': SEARCH_QUERY, 'kind': 'works', 'page': 2})}",
        ),
    ]
    return endpoints, left_out


def count_queries(path, host="127.0.0.1"):
    """(status, queries) for one anonymous GET, measured in this process."""
    client = Client(HTTP_HOST=host)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries.captured_queries)


def main():
    endpoints, left_out = resolve_endpoints()
    queries = {}
    for endpoint in endpoints:
        count_queries(endpoint.path)  # the first fills per-process caches
        queries[endpoint.path] = count_queries(endpoint.path)[1]
    answer = {
        "endpoints": [{"name": endpoint.name, "path": endpoint.path} for endpoint in endpoints],
        "left_out": left_out,
        "queries": queries,
    }
    json.dump(answer, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
