"""Every list and detail costs a fixed number of queries, whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.conference import (
    CommitteeMemberFactory,
    MeetingFactory,
    MeetingSupportFactory,
    MeetingTopicFactory,
    ProjectFactory,
    SeriesFactory,
    TopicFactory,
)
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    WorkRelationFactory,
    create_programme,
)
from tests.factories.people import (
    AffiliationFactory,
    InstitutionFactory,
    InstitutionNameFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context)


def assert_constant(client, small_url, large_url, maximum, django_assert_max_num_queries):
    small = count_queries(client, small_url)
    with django_assert_max_num_queries(maximum):
        large = count_queries(client, large_url)
    assert small == large


def meeting_with(*, papers, authors_per_paper, topics, organizers, projects):
    meeting = MeetingFactory()
    create_programme(meeting, papers=papers, authors_per_paper=authors_per_paper)
    for position in range(topics):
        MeetingTopicFactory(meeting=meeting, position=position + 1)
    CommitteeMemberFactory.create_batch(organizers, meeting=meeting)
    MeetingSupportFactory.create_batch(projects, meeting=meeting)
    return meeting


def test_meeting_detail(api_client, django_assert_max_num_queries):
    small = meeting_with(papers=1, authors_per_paper=1, topics=1, organizers=1, projects=1)
    large = meeting_with(papers=50, authors_per_paper=5, topics=5, organizers=8, projects=2)

    assert_constant(
        api_client,
        f"/api/meetings/{small.slug}/",
        f"/api/meetings/{large.slug}/",
        10,
        django_assert_max_num_queries,
    )


def test_meeting_list(api_client, django_assert_max_num_queries):
    MeetingTopicFactory()
    small = count_queries(api_client, "/api/meetings/?page_size=100")
    for meeting in MeetingFactory.create_batch(49):
        MeetingTopicFactory.create_batch(3, meeting=meeting)

    with django_assert_max_num_queries(3):
        large = count_queries(api_client, "/api/meetings/?page_size=100")
    assert small == large


def papers_with(count, authors, topics=1):
    papers = PaperFactory.create_batch(count)
    for paper in papers:
        for position in range(1, authors + 1):
            AuthorshipFactory(paper=paper, position=position)
        paper.topics.add(*TopicFactory.create_batch(topics))
    return papers


@pytest.mark.parametrize(
    "query", ["", "&type=conference_paper", "&search=public", "&ordering=-updated_at"]
)
def test_paper_list(api_client, django_assert_max_num_queries, query):
    papers_with(1, 1)
    small = count_queries(api_client, f"/api/papers/?page_size=100{query}")
    papers_with(49, 5, topics=2)

    with django_assert_max_num_queries(4):
        large = count_queries(api_client, f"/api/papers/?page_size=100{query}")
    assert small == large


def test_paper_list_filtered_by_meeting(api_client, django_assert_max_num_queries):
    small_meeting, large_meeting = MeetingFactory(), MeetingFactory()
    create_programme(small_meeting, papers=1, authors_per_paper=1)
    create_programme(large_meeting, papers=50, authors_per_paper=5)

    assert_constant(
        api_client,
        f"/api/papers/?page_size=100&meeting={small_meeting.slug}",
        f"/api/papers/?page_size=100&meeting={large_meeting.slug}",
        5,
        django_assert_max_num_queries,
    )


def test_meeting_works(api_client, django_assert_max_num_queries):
    small_meeting, large_meeting = MeetingFactory(), MeetingFactory()
    create_programme(small_meeting, papers=1, authors_per_paper=1)
    create_programme(large_meeting, papers=50, authors_per_paper=5)

    assert_constant(
        api_client,
        f"/api/meetings/{small_meeting.slug}/works/",
        f"/api/meetings/{large_meeting.slug}/works/",
        4,
        django_assert_max_num_queries,
    )


def test_paper_detail(api_client, django_assert_max_num_queries):
    small = papers_with(1, 1)[0]
    large = papers_with(1, 5, topics=3)[0]
    large.projects.add(*ProjectFactory.create_batch(2))
    for meeting in MeetingFactory.create_batch(3):
        presentation = create_programme(meeting, papers=1, authors_per_paper=5)[0]
        WorkRelationFactory(source=large, target=presentation.paper)
        WorkRelationFactory(source=presentation.paper, target=large)

    assert_constant(
        api_client,
        f"/api/papers/{small.slug}/",
        f"/api/papers/{large.slug}/",
        8,
        django_assert_max_num_queries,
    )


def test_presentation_list_and_detail(api_client, django_assert_max_num_queries):
    small = create_programme(MeetingFactory(), papers=1, authors_per_paper=1)[0]
    small_list = count_queries(api_client, "/api/presentations/?page_size=100")
    large = create_programme(MeetingFactory(), papers=50, authors_per_paper=5)[-1]

    with django_assert_max_num_queries(4):
        large_list = count_queries(api_client, "/api/presentations/?page_size=100")
    assert small_list == large_list
    assert_constant(
        api_client,
        f"/api/presentations/{small.pk}/",
        f"/api/presentations/{large.pk}/",
        3,
        django_assert_max_num_queries,
    )


def test_person_list_and_detail(api_client, django_assert_max_num_queries):
    small = AffiliationFactory(person=PersonFactory(other_names="T. Steen")).person
    AuthorshipFactory(person=small)
    small_list = count_queries(api_client, "/api/people/?page_size=100")
    # Other names are part of the person's row: many cost no more than one.
    large = PersonFactory(other_names="\n".join(f"T. Variant {n}" for n in range(40)))
    AffiliationFactory.create_batch(4, person=large)
    AuthorshipFactory.create_batch(10, person=large)
    for _ in range(48):
        AffiliationFactory.create_batch(2, person=PersonFactory())

    with django_assert_max_num_queries(3):
        large_list = count_queries(api_client, "/api/people/?page_size=100")
    assert small_list == large_list
    assert_constant(
        api_client,
        f"/api/people/{small.slug}/",
        f"/api/people/{large.slug}/",
        3,
        django_assert_max_num_queries,
    )


def test_institution_list_and_detail(api_client, django_assert_max_num_queries):
    small = InstitutionFactory()
    small_list = count_queries(api_client, "/api/institutions/?page_size=100")
    large = InstitutionFactory(parent=small)
    # Names of every kind, and links to other institutions: one query each, however many.
    InstitutionNameFactory.create_batch(12, institution=large)
    large.predecessors.set(InstitutionFactory.create_batch(3))
    InstitutionFactory(parent=large).predecessors.add(large)
    InstitutionFactory.create_batch(48)
    AffiliationFactory.create_batch(5, institution=large)

    with django_assert_max_num_queries(5):
        large_list = count_queries(api_client, "/api/institutions/?page_size=100")
    assert small_list == large_list
    assert_constant(
        api_client,
        f"/api/institutions/{small.slug}/",
        f"/api/institutions/{large.slug}/",
        4,
        django_assert_max_num_queries,
    )


def test_series_list_and_detail(api_client, django_assert_max_num_queries):
    small = SeriesFactory()
    MeetingFactory(series=small)
    small_list = count_queries(api_client, "/api/series/?page_size=100")
    large = SeriesFactory()
    MeetingFactory.create_batch(10, series=large)
    SeriesFactory.create_batch(48)

    with django_assert_max_num_queries(2):
        large_list = count_queries(api_client, "/api/series/?page_size=100")
    assert small_list == large_list
    assert_constant(
        api_client,
        f"/api/series/{small.slug}/",
        f"/api/series/{large.slug}/",
        2,
        django_assert_max_num_queries,
    )


@pytest.mark.parametrize(
    ("prefix", "factory"), [("topics", TopicFactory), ("projects", ProjectFactory)]
)
def test_topic_and_project_list_and_detail(
    api_client, django_assert_max_num_queries, prefix, factory
):
    small = factory()
    small_list = count_queries(api_client, f"/api/{prefix}/?page_size=100")
    large = factory.create_batch(49)[-1]

    with django_assert_max_num_queries(2):
        large_list = count_queries(api_client, f"/api/{prefix}/?page_size=100")
    assert small_list == large_list
    assert_constant(
        api_client,
        f"/api/{prefix}/{small.slug}/",
        f"/api/{prefix}/{large.slug}/",
        1,
        django_assert_max_num_queries,
    )
