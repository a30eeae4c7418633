"""People and institutions: the A–Z and by-country indexes, and people over time."""

import datetime

from tests.factories.conference import CommitteeMemberFactory, MeetingFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, create_programme
from tests.factories.people import AffiliationFactory, InstitutionFactory, PersonFactory
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text


def test_people_index_lists_everyone_a_to_z_with_their_latest_institution(client, db):
    old, new = (
        InstitutionFactory(name="Old College", short_name=""),
        InstitutionFactory(name="New University", short_name="NU"),
    )
    recorded = PersonFactory(given_name="Ada", family_name="Byron")
    AffiliationFactory(person=recorded, institution=old, start_year=2001, end_year=2005)
    AffiliationFactory(person=recorded, institution=new, start_year=2006)
    from_works = PersonFactory(given_name="Jan", family_name="Dvořák")
    AuthorshipFactory(person=from_works, affiliation=old, paper=PaperFactory(year=2010))
    AuthorshipFactory(person=from_works, affiliation=new, paper=PaperFactory(year=2020))
    PersonFactory(given_name="Cy", family_name="Cole")

    text = visible_text(client.get("/people/"))

    assert "3 people." in text
    assert "Byron, Ada · NU Cole, Cy Dvořák, Jan · NU" in text


def test_people_index_by_letter_folds_accents(client, db):
    PersonFactory(given_name="Jan", family_name="Dvořák")
    PersonFactory(given_name="Eva", family_name="Ørsted")
    PersonFactory(given_name="Cy", family_name="Cole")

    by_d = visible_text(client.get("/people/", {"letter": "d"}))
    by_o = visible_text(client.get("/people/", {"letter": "O"}))

    assert "1 person whose family name starts with D. Dvořák, Jan" in by_d
    assert "Cole" not in by_d
    assert "Ørsted, Eva" in by_o


def test_people_index_pages_with_rel_links(client, db):
    for number in range(105):
        PersonFactory(given_name="Someone", family_name=f"Baker{number:03}")

    first = client.get("/people/", {"letter": "B"}).content.decode()
    second = visible_text(client.get("/people/", {"letter": "B", "page": 2}))

    assert 'href="?letter=B&amp;page=2" rel="next"' in first
    assert "Page 2 of 2 · 101–105 of 105" in second
    assert "Baker104, Someone" in second


def test_people_index_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    AffiliationFactory()
    small = count_queries(client, "/people/")
    for _ in range(120):
        person = PersonFactory()
        AffiliationFactory(person=person)
        AuthorshipFactory(person=person, affiliation=InstitutionFactory())

    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count_queries(client, "/people/?page=2")

    assert small == large


def test_institutions_index_filters_by_country_with_counts(client, db):
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU", city="Leuven", country="BE")
    InstitutionFactory(name="Aalto University", short_name="", city="Espoo", country="FI")
    for person in PersonFactory.create_batch(2):
        AuthorshipFactory(person=person, affiliation=leuven, paper=PaperFactory())

    everything = visible_text(client.get("/institutions/"))
    belgium = visible_text(client.get("/institutions/", {"country": "be"}))
    by_works = visible_text(client.get("/institutions/", {"sort": "works"}))

    assert "2 institutions." in everything
    assert "Belgium (1)" in everything and "Finland (1)" in everything
    assert "Institutions in Belgium" in belgium
    assert "KU Leuven (KLU) · Leuven, Belgium · 2 works · 2 authors" in belgium
    assert "Aalto" not in belgium
    assert by_works.index("KU Leuven") < by_works.index("Aalto University")


def test_institutions_index_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    InstitutionFactory()
    small = count_queries(client, "/institutions/?sort=works")
    for institution in InstitutionFactory.create_batch(60):
        AuthorshipFactory(affiliation=institution)

    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count_queries(client, "/institutions/?sort=works&page=2")

    assert small == large


def test_person_with_only_authorship_affiliations_shows_them_as_a_timeline(client, db):
    person = PersonFactory(given_name="Jan", family_name="Dvořák")
    krems = InstitutionFactory(name="University for Continuing Education Krems", short_name="DUK")
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU")
    for year, institution in ((2015, leuven), (2017, leuven), (2021, krems), (2023, krems)):
        AuthorshipFactory(person=person, affiliation=institution, paper=PaperFactory(year=year))

    text = visible_text(client.get(person.get_absolute_url()))

    assert (
        "Institutions over time 2021–2023 University for Continuing Education Krems (DUK) · "
        "from works (2 works) 2015–2017 KU Leuven (KLU) · from works (2 works)"
    ) in text


def test_person_timeline_combines_affiliations_works_and_committee_seats(client, db):
    person = PersonFactory()
    institution = InstitutionFactory(name="Roskilde University", short_name="RUC")
    AffiliationFactory(
        person=person, institution=institution, role="Professor", start_year=2010, end_year=2012
    )
    AuthorshipFactory(person=person, affiliation=institution, paper=PaperFactory(year=2014))
    CommitteeMemberFactory(
        person=person,
        affiliation=institution,
        meeting=MeetingFactory(start_date=datetime.date(2016, 5, 1)),
    )

    text = visible_text(client.get(person.get_absolute_url()))

    assert (
        "2010–2016 Roskilde University (RUC) · Professor · from affiliation, works, "
        "organizing committee (1 work)"
    ) in text


def test_person_page_shows_meetings_roles_and_coauthors(client, db):
    meeting = MeetingFactory()
    (presentation,) = create_programme(meeting, papers=1, authors_per_paper=2)
    presenter = presentation.paper.authorships.get(position=1).person
    silent = PersonFactory(given_name="Silent", family_name="Partner")
    AuthorshipFactory(paper=presentation.paper, person=silent, position=3)
    presentation.presenters.filter(authorship__person=silent).delete()
    CommitteeMemberFactory(meeting=meeting, person=silent, role="chair")

    text = visible_text(client.get(silent.get_absolute_url()))

    assert f"Co-authored {presentation.paper.title}" in text
    assert "Organized Chair of the organizing committee" in text
    assert f"Co-authors (2) {presenter.full_name} · 1 work together" in text


def test_person_page_pages_its_works(client, db):
    person = PersonFactory()
    for number in range(30):
        AuthorshipFactory(
            person=person, paper=PaperFactory(title=f"Essay {number:02}", year=2000 + number)
        )

    first = visible_text(client.get(person.get_absolute_url()))
    second = visible_text(client.get(person.get_absolute_url(), {"page": 2}))

    assert "Works (30)" in first and "Page 1 of 2 · 1–25 of 30" in first
    assert "Essay 29" in first and "Essay 00" in second


def test_institution_page_lists_people_from_every_source_per_year(client, db):
    institution = InstitutionFactory(name="Roskilde University", short_name="RUC")
    recorded = PersonFactory(given_name="Eva", family_name="Sørensen")
    AffiliationFactory(person=recorded, institution=institution, start_year=2021, end_year=2022)
    author = PersonFactory(given_name="Jan", family_name="Dvořák")
    AuthorshipFactory(person=author, affiliation=institution, paper=PaperFactory(year=2022))
    organizer = PersonFactory(given_name="Cy", family_name="Cole")
    CommitteeMemberFactory(
        person=organizer,
        affiliation=institution,
        meeting=MeetingFactory(start_date=datetime.date(2023, 5, 1)),
    )

    text = visible_text(client.get(institution.get_absolute_url()))

    assert "People (3) People per year: 2023: 1 · 2022: 2 · 2021: 1" in text
    assert (
        "Cy Cole 2023 · from organizing committee Jan Dvořák 2022 · from works "
        "Eva Sørensen 2021–2022 · from affiliation"
    ) in text
    assert "Its meetings (1)" in text


def test_institution_page_pages_people_and_works_separately(client, db):
    institution = InstitutionFactory()
    for number in range(55):
        AuthorshipFactory(
            person=PersonFactory(family_name=f"Author{number:02}"),
            affiliation=institution,
            paper=PaperFactory(),
        )

    people_page_2 = client.get(institution.get_absolute_url(), {"people_page": 2, "page": 3})
    text = visible_text(people_page_2)

    assert "Page 2 of 2 · 51–55 of 55" in text
    assert "Page 3 of 3 · 51–55 of 55" in text
    assert 'href="?people_page=2&amp;page=2" rel="prev"' in people_page_2.content.decode()
