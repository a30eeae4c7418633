"""The API's list of works is read from rows, and answers exactly what DRF's serializer did."""

import datetime

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from papers.api.serializers import PaperListSerializer, _list_plan
from papers.api.views import PaperViewSet
from papers.models import Authorship, Paper
from tests.factories.conference import MeetingFactory, TopicFactory
from tests.factories.papers import AuthorshipFactory, PaperFactory, PresentationFactory
from tests.factories.people import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def works():
    """Works with none, one and several authors and topics, and text that needs escaping."""
    ghent = InstitutionFactory(slug="ugent", name="Universiteit Gent", short_name="")
    krems = InstitutionFactory(slug="duk", name="Donau-Universität Krems", short_name="DUK")
    # A slug a URL has to quote: its link takes DRF's own path.
    jose = PersonFactory(slug="josé-garcía", given_name="José", family_name="García")
    ayse = PersonFactory(slug="ayse-ozturk", given_name="", family_name="Öztürk")
    noella = PersonFactory(slug="noella-edelmann", given_name="Noëlla", family_name="Edelmann")

    unattributed = PaperFactory(
        slug="untitled-report", title='<b>Public & "private"</b>', kind="report", year=None
    )
    single = PaperFactory(
        slug="single-author",
        title="Co-creation in Brussels",
        kind="journal_article",
        year=2021,
        journal="Public Management Review",
        doi="10.1080/14719037.2021.1234567",
    )
    AuthorshipFactory(paper=single, person=ayse, affiliation=None, position=1)
    single.topics.add(TopicFactory(slug="co-creation", name="Co-creation"))

    several = PaperFactory(slug="several-authors", title="Çağ & <co-production>", year=2023)
    # Neither people, authorships nor topics are created in the order the list shows them.
    AuthorshipFactory(paper=several, person=jose, affiliation=ghent, position=3)
    AuthorshipFactory(paper=several, person=noella, affiliation=krems, position=1)
    AuthorshipFactory(paper=several, person=ayse, affiliation=None, position=2)
    several.topics.add(
        TopicFactory(slug="zoning", name="Zoning"),
        TopicFactory(slug="digital", name="Digital öffentliche Dienste"),
        TopicFactory(slug="accountability", name="Accountability"),
    )

    Paper.objects.filter(pk=single.pk).update(
        updated_at=datetime.datetime(2024, 1, 31, 23, 30, tzinfo=datetime.UTC)
    )
    Paper.objects.filter(pk=several.pk).update(
        updated_at=datetime.datetime(2024, 7, 1, 8, 5, 9, 123456, tzinfo=datetime.UTC)
    )
    return [unattributed, single, several]


def serialized_by_drf(url):
    """The list as DRF's generic list built it: model instances through PaperListSerializer."""
    request = Request(APIRequestFactory().get(url))
    view = PaperViewSet(request=request, action="list", format_kwarg=None, args=(), kwargs={})
    papers = view.filter_queryset(Paper.objects.with_authors().with_topics())
    page = view.paginate_queryset(papers)
    serializer = PaperListSerializer(page, many=True, context=view.get_serializer_context())
    return JSONRenderer().render(view.get_paginated_response(serializer.data).data)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?ordering=year",
        "?ordering=-title",
        "?ordering=updated_at",
        "?type=journal_article",
        "?year=2023",
        "?author=ayse-ozturk",
        "?institution=duk",
        "?topic=zoning",
        "?search=Öztürk",
        "?search=private",
        "?page_size=1&page=2",
        "?search=nothing-matches",
    ],
)
def test_paper_list_answers_what_the_serializer_does(api_client, works, query):
    response = api_client.get(f"/api/papers/{query}")

    assert response.status_code == 200
    assert response.content == serialized_by_drf(f"/api/papers/{query}")


def test_paper_list_shows_authors_topics_and_links(api_client, works):
    response = api_client.get("/api/papers/")

    shown = {work["slug"]: work for work in response.json()["results"]}
    unattributed, single = shown["untitled-report"], shown["single-author"]
    several = shown["several-authors"]
    assert unattributed["title"] == '<b>Public & "private"</b>'
    assert (unattributed["year"], unattributed["authors"], unattributed["topics"]) == (None, [], [])
    assert single["doi_url"] == "https://doi.org/10.1080/14719037.2021.1234567"
    assert single["updated_at"] == "2024-02-01T00:30:00+01:00"
    assert single["authors"] == [
        {
            "role": "author",
            "position": 1,
            "person": {
                "id": works[1].authorships.get().person_id,
                "slug": "ayse-ozturk",
                "name": "Öztürk",
                "url": "http://testserver/api/people/ayse-ozturk/",
            },
            "printed_name": "",
            "affiliation": None,
        }
    ]
    assert several["url"] == "http://testserver/api/papers/several-authors/"
    assert several["updated_at"] == "2024-07-01T10:05:09.123456+02:00"
    assert [author["person"]["name"] for author in several["authors"]] == [
        "Noëlla Edelmann",
        "Öztürk",
        "José García",
    ]
    assert several["authors"][0]["affiliation"]["short_name"] == "DUK"
    assert several["authors"][2]["person"]["url"] == (
        "http://testserver/api/people/jos%C3%A9-garc%C3%ADa/"
    )
    assert [topic["slug"] for topic in several["topics"]] == [
        "accountability",
        "digital",
        "zoning",
    ]


def test_paper_list_matches_the_schema(api_client, works, assert_matches_schema):
    # The quoted slug is outside the documented slug pattern; its link is tested above.
    Authorship.objects.filter(person__slug="josé-garcía").delete()

    response = api_client.get("/api/papers/")

    assert_matches_schema(response, "/api/papers/")


def test_paper_list_links_keep_a_format_suffix(api_client, works):
    response = api_client.get("/api/papers.json?year=2023")

    [several] = response.json()["results"]
    assert several["url"] == "http://testserver/api/papers/several-authors.json"
    assert several["topics"][0]["url"] == "http://testserver/api/topics/accountability.json"


def test_meeting_works_answer_what_the_serializer_does(api_client, works):
    meeting = MeetingFactory(slug="nijmegen")
    for position, work in enumerate(reversed(works), start=1):
        PresentationFactory(meeting=meeting, paper=work, position=position)

    response = api_client.get("/api/meetings/nijmegen/works/")

    papers = Paper.objects.presented_at(meeting).order_by("presentations__position", "pk")
    request = Request(APIRequestFactory().get("/api/meetings/nijmegen/works/"))
    serializer = PaperListSerializer(
        papers.with_authors().with_topics(), many=True, context={"request": request}
    )
    assert response.content == JSONRenderer().render(serializer.data)
    assert [work["slug"] for work in response.json()] == [
        "several-authors",
        "single-author",
        "untitled-report",
    ]


def test_paper_list_shows_a_field_added_to_the_serializer(api_client, works, monkeypatch, request):
    """A field added to ``PaperListSerializer.Meta.fields`` is the one edit: the row reader
    reads its column by name and shows it as the serializer would."""
    works[1].volume, works[1].publication_date = "14", datetime.date(2021, 5, 3)
    works[1].save()
    fields = [*PaperListSerializer.Meta.fields, "volume", "publication_date"]
    monkeypatch.setattr(PaperListSerializer.Meta, "fields", fields)
    # The list's plan is made once per process, as the code starts: here the code changed.
    _list_plan.cache_clear()
    request.addfinalizer(_list_plan.cache_clear)

    response = api_client.get("/api/papers/")

    assert response.content == serialized_by_drf("/api/papers/")
    shown = {work["slug"]: work for work in response.json()["results"]}
    assert (shown["single-author"]["volume"], shown["single-author"]["publication_date"]) == (
        "14",
        "2021-05-03",
    )
