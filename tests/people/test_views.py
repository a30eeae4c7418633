from people.models import Institution, Person
from tests.factories.conference import CommitteeMemberFactory, MeetingFactory
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
    create_programme,
)
from tests.factories.people import AffiliationFactory, InstitutionFactory, PersonFactory
from tests.pages import (
    INSTITUTION_PAGE_QUERIES,
    PERSON_PAGE_QUERIES,
    count_queries,
    visible_text,
)


def test_person_page_shows_affiliations_works_presentations_and_committees(client, demo_data):
    response = client.get("/people/trui-steen/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Trui Steen" in text
    assert (
        "Institutions over time since 2023 KU Leuven (KLU) · "
        "from affiliation, works, organizing committee (1 work)"
    ) in text
    assert "Works (1)" in text
    assert (
        "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
        "and Lessons Learned Noella Edelmann (DUK), Trui Steen (KLU) and Charlotte van Dijk (KLU)"
    ) in text
    assert (
        "Meetings and roles (1) 10th open meeting of the IIAS Study Group on ‘Coproduction "
        "of Public Services’ · 11–12 May 2023 · Nijmegen, Netherlands Presented Sustainability "
        "and Co-creation in Public Sector Organisations: Practices, Outcomes, and Lessons "
        "Learned Organized Member of the organizing committee"
    ) in text
    assert "Co-authors (2) Noella Edelmann · 1 work together Charlotte van Dijk · 1 work" in text


def test_person_page_links_the_orcid_record(client, db):
    person = PersonFactory(orcid="0000-0002-1825-0097")

    content = client.get(person.get_absolute_url()).content.decode()

    assert (
        '<a href="https://orcid.org/0000-0002-1825-0097">https://orcid.org/0000-0002-1825-0097</a>'
    ) in content


def test_person_page_for_someone_with_no_works(client, demo_data):
    text = visible_text(client.get("/people/tina-nabatchi/"))

    assert "No works are recorded for Tina Nabatchi yet." in text
    assert "since 2023 Syracuse University · from affiliation, organizing committee" in text
    assert "Organized Member of the organizing committee" in text


def test_institution_page_shows_names_people_works_and_presentations(client, demo_data):
    response = client.get("/institutions/duk/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "University for Continuing Education Krems" in text
    assert "Short name DUK" in text
    assert (
        "Translation Universität für Weiterbildung Krems Former name Danube University Krems"
    ) in text
    assert '<span lang="de">Universität für Weiterbildung Krems</span>' in response.content.decode()
    assert "City Krems an der Donau" in text
    assert "Country Austria" in text
    assert '<a href="https://ror.org/03ef4a036">' in response.content.decode()
    assert '<a href="https://www.donau-uni.ac.at/">' in response.content.decode()
    assert (
        "People (2) People per year: 2023: 2 Noella Edelmann since 2023 · from affiliation, "
        "works Shefali Virkar since 2023 · from affiliation, works"
    ) in text
    assert "Works by its members (2)" in text
    assert "The Impact of Sustainability on Co-Creation of Digital Public Services" in text
    assert (
        "Its meetings (1) Meetings where its members presented or sat on the organizing "
        "committee. 10th open meeting of the IIAS Study Group on ‘Coproduction of Public "
        "Services’ · 11–12 May 2023 · Nijmegen, Netherlands"
    ) in text


def test_institution_page_lists_committee_seats_and_series(client, demo_data):
    radboud = visible_text(client.get("/institutions/radboud/"))
    iias = visible_text(client.get("/institutions/iias/"))

    assert "On organizing committees Taco Brandsen · 10th open meeting" in radboud
    assert "Meeting series IIAS Study Group on ‘Coproduction of Public Services’" in iias


def _author_with_works(count, authors):
    person = PersonFactory()
    institution = InstitutionFactory()
    AffiliationFactory(person=person, institution=institution)
    meeting = MeetingFactory()
    CommitteeMemberFactory(meeting=meeting, person=person, affiliation=institution)
    for _ in range(count):
        paper = PaperFactory()
        presentation = PresentationFactory(meeting=meeting, paper=paper)
        for position in range(1, authors + 1):
            authorship = AuthorshipFactory(
                paper=paper,
                position=position,
                person=person if position == 1 else PersonFactory(),
                affiliation=institution,
            )
            PresenterFactory(presentation=presentation, authorship=authorship, position=position)
    return person, institution


def test_person_page_query_count_does_not_grow_with_works(
    client, db, django_assert_max_num_queries
):
    small, _ = _author_with_works(1, 1)
    large, _ = _author_with_works(30, 5)

    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(PERSON_PAGE_QUERIES):
        large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count


def test_institution_page_query_count_does_not_grow_with_members(
    client, db, django_assert_max_num_queries
):
    _, small = _author_with_works(1, 1)
    _, large = _author_with_works(30, 5)
    create_programme(MeetingFactory(), papers=10, authors_per_paper=3, institutions=[large])

    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(INSTITUTION_PAGE_QUERIES):
        large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count


def test_staff_see_the_edit_link_on_people_and_institutions(demo_data, staff_client):
    person = Person.objects.get(slug="noella-edelmann")
    institution = Institution.objects.get(slug="duk")

    person_page = staff_client.get(person.get_absolute_url()).content.decode()
    institution_page = staff_client.get(institution.get_absolute_url()).content.decode()

    assert f'href="/admin/people/person/{person.pk}/change/">Edit this person' in person_page
    assert (
        f'href="/admin/people/institution/{institution.pk}/change/">Edit this institution'
    ) in institution_page
