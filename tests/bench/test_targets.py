"""The benchmark's endpoints (bench/targets.py) on a generated archive: each answers, within
the page query budget, the session page and the frab schedules among them."""

import pytest

from bench.sample_data import generate_sample_data
from bench.targets import count_queries, resolve_endpoints
from tests.pages import MAX_PAGE_QUERIES, PAPER_PAGE_QUERIES, PERSON_PAGE_QUERIES

BUDGETS = {"paper page": PAPER_PAGE_QUERIES, "person page": PERSON_PAGE_QUERIES}


@pytest.mark.django_db
def test_endpoints_include_a_session_page_and_the_schedules_and_all_answer():
    generate_sample_data(scale=0.01, seed=1)

    endpoints, left_out = resolve_endpoints()

    names = [endpoint.name for endpoint in endpoints]
    assert {"session page", "schedule.xml", "schedule.json"} <= set(names)
    assert left_out == []
    for endpoint in endpoints:
        status, queries = count_queries(endpoint.path, host="testserver")
        assert status == 200, endpoint.path
        assert queries <= BUDGETS.get(endpoint.name, MAX_PAGE_QUERIES), (endpoint.name, queries)
