import pytest
from django.db import connection

from conference.search import search_site
from tests.factories.conference import MeetingFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="accent-insensitive search needs PostgreSQL"
)


def _found(results, kind):
    group = next(group for group in results.groups if group.kind == kind)
    return [str(record) for record in group.results]


@pytest.mark.parametrize("query", ["Nijmegen", "nijmegen", "NIJMEGEN"])
def test_search_finds_the_meeting_by_its_city(demo_data, query):
    results = search_site(query)

    assert _found(results, "meetings") == [
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    ]
    assert "Radboud University Nijmegen (Radboud)" in _found(results, "institutions")


@pytest.mark.parametrize("query", ["Leuven", "KU Leuven", "leuven", "KLU"])
def test_search_finds_ku_leuven(demo_data, query):
    assert _found(search_site(query), "institutions") == ["KU Leuven (KLU)"]


def test_search_finds_institutions_by_short_name(demo_data):
    assert _found(search_site("DUK"), "institutions") == [
        "University for Continuing Education Krems (DUK)"
    ]


def test_search_finds_people_by_family_name(demo_data):
    assert _found(search_site("Edelmann"), "people") == ["Noella Edelmann"]
    assert _found(search_site("noella edelmann"), "people") == ["Noella Edelmann"]


def test_search_finds_works_by_title_and_abstract(demo_data):
    by_title = _found(search_site("co-creation"), "works")
    by_abstract = _found(search_site("indicators"), "works")

    assert by_title == [
        "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
        "and Lessons Learned",
        "The Impact of Sustainability on Co-Creation of Digital Public Services",
    ]
    assert by_abstract == [by_title[0]]


def test_search_finds_nothing_for_nonsense(demo_data):
    results = search_site("xqzvkw")

    assert results.total == 0
    assert results.found_groups == []


def test_search_counts_all_matches_but_returns_a_limited_number(db):
    for number in range(12):
        PaperFactory(title=f"Citizen co-creation study {number}")

    results = search_site("co-creation", limit=5)

    works = next(group for group in results.groups if group.kind == "works")
    assert works.total == 12
    assert len(works.results) == 5
    assert works.has_more


@postgres_only
@pytest.mark.parametrize("query", ["Muller", "Müller", "muller"])
def test_search_ignores_accents_on_postgresql(db, query):
    PersonFactory(given_name="Anna", family_name="Müller")
    InstitutionFactory(name="Universität Zürich", short_name="UZH")

    assert _found(search_site(query), "people") == ["Anna Müller"]
    assert _found(search_site("Universitat Zurich"), "institutions") == ["Universität Zürich (UZH)"]


@postgres_only
def test_search_ranks_title_matches_above_abstract_matches(db):
    PaperFactory(title="Budgets", abstract="On participatory budgeting and coproduction.")
    PaperFactory(title="Coproduction in schools", abstract="Teachers and parents.")

    assert _found(search_site("coproduction"), "works") == ["Coproduction in schools", "Budgets"]


def test_search_page_groups_results_by_kind_with_counts(client, demo_data):
    response = client.get("/search/", {"q": "Nijmegen"})

    assert response.status_code == 200
    text = visible_text(response)
    assert "2 results for “Nijmegen”: 1 meeting, 1 institution." in text
    assert "Meetings (1) 10th open meeting of the IIAS Study Group" in text
    assert "Institutions (1) Radboud University Nijmegen (Radboud) · Nijmegen, Netherlands" in text


def test_search_page_shows_works_with_their_authors(client, demo_data):
    text = visible_text(client.get("/search/", {"q": "co-creation"}))

    assert "Works (2)" in text
    assert "Noella Edelmann (DUK), Trui Steen (KLU) and Charlotte van Dijk (KLU)" in text


def test_search_page_without_a_query_shows_a_helpful_form(client, db):
    response = client.get("/search/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Search the archive" in text
    assert "Things to try" in text
    assert "results for" not in text


def test_search_page_says_so_when_nothing_matches(client, demo_data):
    text = visible_text(client.get("/search/", {"q": "xqzvkw"}))

    assert "Nothing matches “xqzvkw”." in text
    assert "(0)" not in text


def test_search_page_rejects_an_overlong_query(client, db):
    response = client.get("/search/", {"q": "x" * 201})

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in visible_text(response)


def test_search_page_query_count_does_not_grow_with_results(
    client, db, django_assert_max_num_queries
):
    small, large = MeetingFactory(city="Smallville"), MeetingFactory(city="Largetown")
    for meeting, count, authors in ((small, 1, 1), (large, 30, 5)):
        for _ in range(count):
            paper = PaperFactory(title=f"Coproduction in {meeting.city}")
            for position in range(1, authors + 1):
                AuthorshipFactory(paper=paper, position=position)
        InstitutionFactory(name=f"University of {meeting.city}")

    small_count = count_queries(client, "/search/?q=Smallville")
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large_count = count_queries(client, "/search/?q=Largetown")

    assert small_count == large_count


def test_works_are_found_by_their_authors_names(demo_data):
    results = search_site("Edelmann")
    works = next(group for group in results.groups if group.kind == "works")
    assert sorted(work.title for work in works.results) == [
        "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
        "and Lessons Learned",
        "The Impact of Sustainability on Co-Creation of Digital Public Services",
    ]
    assert works.total == 2
