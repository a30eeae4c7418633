import pytest
from django.db import connection

from conference.site.search import search_site
from papers.models import Paper
from tests.factories.conference import MeetingFactory, SeriesFactory
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


@pytest.mark.parametrize("query", ["Muller", "Müller", "muller"])
def test_search_ignores_accents(db, query):
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


# One set of expectations, run on SQLite and PostgreSQL alike (CI runs the suite on both).
ACCENTED = {
    "Dvorak": ("people", "Jan Dvořák"),
    "dvořák": ("people", "Jan Dvořák"),
    "Zurich": ("institutions", "Universität Zürich (UZH)"),
    "Tromso": ("institutions", "UiT The Arctic University of Norway (UiT)"),
    "Linkoping": ("institutions", "Linköping University (LiU)"),
    "Sorensen": ("people", "Eva Sørensen"),
    "SØRENSEN": ("people", "Eva Sørensen"),
}


@pytest.fixture
def accented_names(db):
    PersonFactory(given_name="Jan", family_name="Dvořák")
    PersonFactory(given_name="Eva", family_name="Sørensen")
    InstitutionFactory(name="Universität Zürich", short_name="UZH", city="Zürich")
    InstitutionFactory(name="UiT The Arctic University of Norway", short_name="UiT", city="Tromsø")
    InstitutionFactory(name="Linköping University", short_name="LiU", city="Linköping")


@pytest.mark.parametrize("query", ACCENTED)
def test_search_folds_accents_and_case_on_every_database(accented_names, query):
    kind, expected = ACCENTED[query]

    assert _found(search_site(query), kind) == [expected]


def test_search_finds_works_by_an_authors_name_without_its_accents(db):
    author = PersonFactory(given_name="Jan", family_name="Dvořák")
    for number in range(3):
        AuthorshipFactory(person=author, paper=PaperFactory(title=f"Symphony {number}"))

    assert sorted(_found(search_site("Dvorak"), "works")) == [
        "Symphony 0",
        "Symphony 1",
        "Symphony 2",
    ]


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("digital co-production", "topics", ["Digital co-production"]),
        ("Digital Co production", "topics", ["Digital co-production"]),
        ("ingov", "projects", ["inGOV"]),
        ("Interlink", "projects", ["Interlink"]),
        ("Horizon", "projects", ["inGOV", "Interlink"]),
        ("962563", "projects", ["inGOV"]),
        (
            "coproduction of public services",
            "series",
            ["IIAS Study Group on ‘Coproduction of Public Services’"],
        ),
    ],
)
def test_search_finds_topics_projects_and_series(demo_data, query, kind, expected):
    assert _found(search_site(query), kind) == expected


def test_search_for_co_production_finds_it_spelled_with_and_without_the_hyphen(demo_data):
    assert _found(search_site("co-production"), "topics") == [
        "Digital co-production",
        "The capacity and willingness of citizens to engage in coproduction",
        "The challenges of coproduction for professionals",
        "The conditions for sustaining and scaling up co-creation and co-production initiatives",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "10.3390/admsci13020043",
        "10.3390/ADMSCI13020043",
        "doi:10.3390/admsci13020043",
        "https://doi.org/10.3390/admsci13020043",
    ],
)
def test_search_finds_the_seed_work_by_any_form_of_its_doi(demo_data, query):
    assert _found(search_site(query), "works") == [
        "The Impact of Sustainability on Co-Creation of Digital Public Services"
    ]


@pytest.mark.parametrize(
    "query", ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "0000000218250097"]
)
def test_search_finds_a_person_by_orcid(db, query):
    PersonFactory(given_name="Josiah", family_name="Carberry", orcid="0000-0002-1825-0097")

    assert _found(search_site(query), "people") == ["Josiah Carberry"]


def test_search_finds_meetings_by_their_description(db):
    MeetingFactory(description="Held together with the Tromsø summer school.")

    assert len(_found(search_site("tromso summer school"), "meetings")) == 1


def test_search_pages_through_every_result_of_a_kind(client, db):
    for number in range(30):
        PaperFactory(title=f"Citizen budgeting study {number:02}", year=2000 + number)

    first = client.get("/search/", {"q": "budgeting", "kind": "works"})
    second = client.get("/search/", {"q": "budgeting", "kind": "works", "page": 2})

    first_text, second_text = visible_text(first), visible_text(second)
    assert "Works matching “budgeting” (30)" in first_text
    assert "Page 1 of 2 · 1–25 of 30" in first_text
    assert "Page 2 of 2 · 26–30 of 30" in second_text
    shown = [f"Citizen budgeting study {number:02}" for number in range(30)]
    on_first = [title for title in shown if title in first_text]
    on_second = [title for title in shown if title in second_text]
    assert len(on_first) == 25 and len(on_second) == 5
    assert sorted(on_first + on_second) == sorted(shown)
    content = first.content.decode()
    assert 'href="?q=budgeting&amp;kind=works&amp;page=2" rel="next"' in content
    assert 'href="?q=budgeting&amp;kind=works" rel="prev"' in second.content.decode()


def test_search_overview_links_to_all_results_of_a_kind(client, db):
    for number in range(12):
        PaperFactory(title=f"Citizen budgeting study {number}")

    response = client.get("/search/", {"q": "budgeting"})

    assert "See all 12 works" in visible_text(response)
    assert 'href="?q=budgeting&amp;kind=works"' in response.content.decode()


def test_search_past_the_last_page_says_how_many_pages_there_are(client, db):
    PaperFactory(title="Citizen budgeting")

    text = visible_text(client.get("/search/", {"q": "budgeting", "kind": "works", "page": 9}))

    assert "There are only 1 page of works matching “budgeting”" in text


def test_search_marks_the_matched_words_and_escapes_the_rest(client, db):
    PaperFactory(
        title="<script>alert(1)</script> Participatory Budgeting in Zürich",
        abstract="A study of <b>budgets</b>. " + "Filler words. " * 40 + "Zurich budgeting again.",
    )

    content = client.get("/search/", {"q": "zurich budgeting"}).content.decode()

    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; Participatory <mark>Budgeting</mark> in "
        "<mark>Zürich</mark>"
    ) in content
    assert "<script>alert" not in content
    assert "Filler words. <mark>Zurich</mark> <mark>budgeting</mark> again.</p>" in content


def test_search_without_results_suggests_the_closest_names(client, accented_names):
    text = visible_text(client.get("/search/", {"q": "Sorensan"}))

    assert "Nothing matches “Sorensan”. Did you mean Sørensen?" in text


def test_search_export_says_when_it_is_cut(client, db, settings, monkeypatch):
    monkeypatch.setattr("conference.site.views.search.SEARCH_EXPORT_LIMIT", 3)
    for number in range(5):
        PaperFactory(title=f"Citizen budgeting study {number}", year=2000 + number)

    page = visible_text(client.get("/search/", {"q": "budgeting"}))
    export = client.get("/search/", {"q": "budgeting", "format": "csljson"}).json()

    assert "The download holds the best 3 of the 5 works found" in page
    assert [item["title"] for item in export] == [
        "Citizen budgeting study 4",
        "Citizen budgeting study 3",
        "Citizen budgeting study 2",
    ]


def test_search_export_holds_every_result_under_the_limit(client, db):
    for number in range(30):
        PaperFactory(title=f"Citizen budgeting study {number}")

    export = client.get("/search/", {"q": "budgeting", "format": "csljson"}).json()

    assert len(export) == Paper.objects.count() == 30
    assert "The download holds" not in visible_text(client.get("/search/", {"q": "budgeting"}))


def test_search_kind_page_query_count_does_not_grow_with_results(
    client, db, django_assert_max_num_queries
):
    series = SeriesFactory(name="Budgeting network")
    for count, word in ((1, "Smallville"), (40, "Largetown")):
        for _ in range(count):
            paper = PaperFactory(title=f"Budgeting in {word}")
            AuthorshipFactory(paper=paper, position=1)
            AuthorshipFactory(paper=paper, position=2)
    del series

    small = count_queries(client, "/search/?q=Smallville&kind=works")
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count_queries(client, "/search/?q=Largetown&kind=works&page=2")

    assert small == large


def test_search_ignores_an_unknown_kind_and_an_absurd_page(client, demo_data):
    unknown_kind = client.get("/search/", {"q": "Nijmegen", "kind": "planets"})
    absurd_page = client.get("/search/", {"q": "Nijmegen", "kind": "meetings", "page": "9" * 40})
    word_page = client.get("/search/", {"q": "Nijmegen", "kind": "meetings", "page": "last"})

    assert unknown_kind.status_code == 200
    assert "2 results for “Nijmegen”" in visible_text(unknown_kind)
    assert absurd_page.status_code == 200
    assert "There are only 1 page of meetings" in visible_text(absurd_page)
    assert "Meetings matching “Nijmegen” (1) 10th open meeting" in visible_text(word_page)
