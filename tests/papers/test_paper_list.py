"""The works index: filters by type, year, topic, meeting, institution and author."""

from django.template.loader import render_to_string

from papers.models import Paper
from tests.factories.conference import MeetingFactory, TopicFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, create_programme
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text


def test_works_index_lists_every_work_newest_first(client, demo_data):
    text = visible_text(client.get("/papers/"))

    assert "2 works." in text
    assert text.index("Sustainability and Co-creation") < text.index("The Impact of")


def test_works_index_filters_by_type_and_year(client, demo_data):
    text = visible_text(client.get("/papers/", {"type": "journal_article", "year": 2023}))

    assert "1 work." in text
    assert "Type: Journal article remove Year: 2023 remove" in text
    assert "The Impact of Sustainability on Co-Creation of Digital Public Services" in text
    assert "Sustainability and Co-creation in Public Sector" not in text


def test_works_index_filters_by_topic_meeting_institution_and_author(client, db):
    topic, person = (
        TopicFactory(name="Budgets"),
        PersonFactory(given_name="Eva", family_name="Sørensen"),
    )
    institution = InstitutionFactory(name="Roskilde University", short_name="RUC")
    meeting = MeetingFactory()
    wanted = PaperFactory(title="Wanted work")
    wanted.topics.add(topic)
    AuthorshipFactory(paper=wanted, person=person, affiliation=institution)
    (other,) = create_programme(meeting, papers=1, authors_per_paper=1)
    PaperFactory(title="Unrelated work")

    assert "Wanted work" in visible_text(client.get("/papers/", {"topic": topic.slug}))
    by_all = visible_text(
        client.get(
            "/papers/",
            {"topic": topic.slug, "author": person.slug, "institution": institution.slug},
        )
    )
    by_meeting = visible_text(client.get("/papers/", {"meeting": meeting.slug}))
    unknown = client.get("/papers/", {"author": "nobody-at-all", "year": "recent"})

    assert "1 work." in by_all and "Unrelated work" not in by_all
    assert "Author: Eva Sørensen" in by_all and "Institution: Roskilde University (RUC)" in by_all
    assert other.paper.title in by_meeting and "Wanted work" not in by_meeting
    assert unknown.status_code == 200
    assert "No works match these filters." in visible_text(unknown)


def test_works_index_pages_keep_the_filters(client, db):
    for number in range(30):
        PaperFactory(kind="report", title=f"Report {number:02}")

    content = client.get("/papers/", {"type": "report", "sort": "title"}).content.decode()

    assert 'href="?type=report&amp;sort=title&amp;page=2" rel="next"' in content
    assert "Report 00" in content and "Report 29" not in content


def test_works_index_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    topic = TopicFactory()
    PaperFactory().topics.add(topic)
    small = count_queries(client, f"/papers/?topic={topic.slug}")
    for presentation in create_programme(MeetingFactory(), papers=60, authors_per_paper=4):
        presentation.paper.topics.add(topic)

    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count_queries(client, f"/papers/?topic={topic.slug}&page=2")

    assert small == large


def test_works_index_shows_each_work_as_its_model_instance_would(client, db):
    """The index reads rows (``as_list_rows``); each work's markup is what the shared
    ``work_summary.html`` makes of the model instance: links, authors in order with their
    institutions, editors left out, type, year and journal, text escaped."""
    krems = InstitutionFactory(slug="duk", name="Donau-Universität Krems", short_name="DUK")
    ghent = InstitutionFactory(slug="ugent", name="Universiteit Gent", short_name="")
    article = PaperFactory(
        title='Çağ & "co-production"', kind="journal_article", year=2023, journal="<PMR>"
    )
    AuthorshipFactory(paper=article, person=PersonFactory(family_name="Öztürk"), position=2)
    AuthorshipFactory(paper=article, affiliation=krems, position=1)
    AuthorshipFactory(paper=article, affiliation=ghent, position=3)
    AuthorshipFactory(paper=article, role="editor", position=1)
    PaperFactory(title="Unattributed report", kind="report", year=None, journal="")

    content = client.get("/papers/").content.decode()

    for work in Paper.objects.with_authors():
        expected = render_to_string("includes/work_summary.html", {"work": work})
        assert expected in content, work.title
