"""The meetings app's index pages, the series page, breadcrumbs, robots.txt and the favicon."""

import datetime
import html
import re

import icalendar
import pytest

from tests.factories.conference import (
    CommitteeMemberFactory,
    MeetingFactory,
    MeetingTopicFactory,
    ProjectFactory,
    SeriesFactory,
    TopicFactory,
)
from tests.factories.papers import PaperFactory, create_programme
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text

SERIES_URL = "/series/coproduction-of-public-services/"


def _same_queries_small_and_large(client, small_url, large_url, django_assert_max_num_queries):
    small = count_queries(client, small_url)
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count_queries(client, large_url)
    assert small == large


def test_meetings_index_lists_meetings_by_year_with_talk_counts(client, demo_data):
    response = client.get("/meetings/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "1 meeting." in text
    assert (
        "2023 10th open meeting Coproduction of Public Services 11–12 May 2023 Nijmegen, "
        "Netherlands 1 talk"
    ) in text


def test_meetings_index_filters_by_series_and_year(client, db):
    series = SeriesFactory(name="Network on Budgets")
    MeetingFactory(series=series, start_date=datetime.date(2021, 3, 1), edition=1)
    MeetingFactory(series=series, start_date=datetime.date(2022, 3, 1), edition=2)
    MeetingFactory(start_date=datetime.date(2022, 6, 1), edition=7)

    by_series = visible_text(client.get("/meetings/", {"series": series.slug}))
    by_year = visible_text(client.get("/meetings/", {"series": series.slug, "year": 2022}))
    unknown = client.get("/meetings/", {"series": "no-such-series", "year": "soon"})

    assert "2 meetings of the Network on Budgets." in by_series
    assert "1 meeting of the Network on Budgets in 2022." in by_year
    assert "2nd open meeting" in by_year and "1st open meeting" not in by_year
    assert unknown.status_code == 200
    assert "No meetings match." in visible_text(unknown)


def test_meetings_index_pages_with_rel_links_that_keep_the_filters(client, db):
    series = SeriesFactory()
    for number in range(55):
        MeetingFactory(series=series, start_date=datetime.date(1970 + number, 1, 1))

    first = client.get("/meetings/", {"series": series.slug}).content.decode()
    second = client.get("/meetings/", {"series": series.slug, "page": 2})

    assert f'href="?series={series.slug}&amp;page=2" rel="next"' in first
    assert f'href="?series={series.slug}" rel="prev"' in second.content.decode()
    assert "Page 2 of 2 · 51–55 of 55" in visible_text(second)


def test_meetings_index_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    small = MeetingFactory()
    create_programme(small, papers=1, authors_per_paper=1)
    large_series = SeriesFactory()
    for number in range(60):
        meeting = MeetingFactory(series=large_series, start_date=datetime.date(1950 + number, 1, 1))
    create_programme(meeting, papers=10, authors_per_paper=2)

    _same_queries_small_and_large(
        client,
        f"/meetings/?series={small.series.slug}",
        f"/meetings/?series={large_series.slug}&page=2",
        django_assert_max_num_queries,
    )


def test_meeting_page_links_its_series(client, demo_data):
    content = client.get("/meetings/coproduction-2023-nijmegen/").content.decode()

    assert (
        f'<a href="{SERIES_URL}">IIAS Study Group on ‘Coproduction of Public Services’</a>'
    ) in content


def test_series_page_shows_editions_topics_and_people(client, demo_data):
    response = client.get(SERIES_URL)

    assert response.status_code == 200
    text = visible_text(response)
    assert "Meeting series · International Institute of Administrative Sciences" in text
    assert (
        "Meetings (1) Meeting Dates Place Talks Topics 10th open meeting 11–12 May 2023 "
        "Nijmegen, Netherlands 1 The challenges of coproduction for professionals;"
    ) in text
    assert "Topics over time Digital co-production · 2023" in text
    assert "Everyone who presented or organized (" in text
    assert "Noella Edelmann 1 talk" in text
    assert "Taco Brandsen organized 1" in text


def test_series_page_exports_all_its_works_and_its_calendar(client, demo_data):
    bibtex = client.get(SERIES_URL, {"format": "bibtex"})
    calendar = icalendar.Calendar.from_ical(
        client.get("/series/coproduction-of-public-services.ics").content
    )

    assert bibtex.status_code == 200
    assert bibtex.content.decode().count("@") == 1
    assert "Sustainability and Co-creation" in bibtex.content.decode()
    events = calendar.walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    ]


def test_series_page_topics_over_time_list_each_year(client, db):
    series = SeriesFactory()
    topic = TopicFactory(name="Participatory budgeting")
    for year in (2019, 2021):
        MeetingTopicFactory(
            meeting=MeetingFactory(series=series, start_date=datetime.date(year, 5, 1)),
            topic=topic,
        )

    text = visible_text(client.get(series.get_absolute_url()))

    assert "Topics over time Participatory budgeting · 2019, 2021" in text


def test_series_page_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    small = MeetingFactory()
    create_programme(small, papers=1, authors_per_paper=1)
    MeetingTopicFactory(meeting=small)
    large_series = SeriesFactory()
    for number in range(8):
        meeting = MeetingFactory(series=large_series, start_date=datetime.date(2000 + number, 1, 1))
        create_programme(meeting, papers=10, authors_per_paper=3)
        MeetingTopicFactory(meeting=meeting)
        CommitteeMemberFactory(meeting=meeting)

    _same_queries_small_and_large(
        client,
        small.series.get_absolute_url(),
        f"{large_series.get_absolute_url()}?page=2",
        django_assert_max_num_queries,
    )


def test_series_index_lists_series_with_meeting_counts(client, demo_data):
    text = visible_text(client.get("/series/"))

    assert (
        "IIAS Study Group on ‘Coproduction of Public Services’ · 1 meeting · International "
        "Institute of Administrative Sciences"
    ) in text


def test_topics_index_lists_topics_with_counts_and_sorts(client, db):
    busy, quiet = TopicFactory(name="Zoning"), TopicFactory(name="Archives")
    for _ in range(3):
        PaperFactory().topics.add(busy)
    MeetingTopicFactory(topic=quiet)

    by_name = visible_text(client.get("/topics/"))
    by_works = visible_text(client.get("/topics/", {"sort": "works"}))

    assert "Archives · 0 works · 1 meeting Zoning · 3 works · 0 meetings" in by_name
    assert "Zoning · 3 works · 0 meetings Archives · 0 works · 1 meeting" in by_works


def test_topics_index_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    TopicFactory()
    small = count_queries(client, "/topics/")
    for _ in range(70):
        PaperFactory().topics.add(TopicFactory())

    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count_queries(client, "/topics/?page=2")

    assert small == large


@pytest.mark.parametrize("kind", ["topic", "project"])
def test_topic_and_project_pages_page_their_works(client, db, kind):
    record = TopicFactory() if kind == "topic" else ProjectFactory()
    for number in range(30):
        paper = PaperFactory(title=f"Work number {number:02}", year=2000 + number)
        getattr(paper, f"{kind}s").add(record)

    first = visible_text(client.get(record.get_absolute_url()))
    second = client.get(record.get_absolute_url(), {"page": 2})

    assert "(30)" in first
    assert "Page 1 of 2 · 1–25 of 30" in first
    assert "Work number 29" in first and "Work number 04" not in first
    assert "Work number 04" in visible_text(second)
    assert 'href="?page=2" rel="next"' in client.get(record.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", ["topic", "project"])
def test_topic_and_project_pages_query_count_does_not_grow(
    client, db, django_assert_max_num_queries, kind
):
    small, large = (
        (TopicFactory(), TopicFactory())
        if kind == "topic"
        else (ProjectFactory(), ProjectFactory())
    )
    getattr(PaperFactory(), f"{kind}s").add(small)
    for paper in create_programme(MeetingFactory(), papers=40, authors_per_paper=3):
        getattr(paper.paper, f"{kind}s").add(large)

    _same_queries_small_and_large(
        client,
        small.get_absolute_url(),
        f"{large.get_absolute_url()}?page=2",
        django_assert_max_num_queries,
    )


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        ("/meetings/", "Home › Meetings"),
        (
            "/meetings/coproduction-2023-nijmegen/",
            "Home › Meetings › Coproduction of Public Services › 10th open meeting",
        ),
        ("/series/", "Home › Meeting series"),
        (
            SERIES_URL,
            "Home › Meeting series › IIAS Study Group on ‘Coproduction of Public Services’",
        ),
        ("/topics/", "Home › Topics"),
        ("/topics/digital-co-production/", "Home › Topics › Digital co-production"),
        ("/projects/ingov/", "Home › inGOV"),
        ("/people/", "Home › People"),
        ("/people/trui-steen/", "Home › People › Trui Steen"),
        ("/institutions/", "Home › Institutions"),
        ("/institutions/klu/", "Home › Institutions › KU Leuven (KLU)"),
        ("/papers/", "Home › Works"),
        (
            "/papers/sustainability-and-co-creation-in-public-sector-organisations/",
            "Home › Meetings › 10th open meeting › Sustainability and Co-creation in Public "
            "Sector Organisations: Practices,…",
        ),
        (
            "/papers/edelmann-2023-impact-sustainability-co-creation/",
            "Home › Works › Journal articles › The Impact of Sustainability on Co-Creation of "
            "Digital…",
        ),
        ("/search/?q=Nijmegen", "Home › Search"),
    ],
)
def test_every_public_page_has_breadcrumbs_matching_where_it_sits(client, demo_data, url, trail):
    content = client.get(url).content.decode()
    start = content.index('<nav class="breadcrumbs"')
    nav = content[start : content.index("</nav>", start)]
    crumbs = [
        html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", nav)
    ]

    assert " › ".join(crumbs) == trail
    assert f'<span aria-current="page">{html.escape(crumbs[-1], quote=False)}</span>' in nav


def test_journal_article_breadcrumbs_link_the_works_of_its_type(client, demo_data):
    content = client.get(
        "/papers/edelmann-2023-impact-sustainability-co-creation/"
    ).content.decode()

    assert '<a href="/papers/?type=journal_article">Journal articles</a>' in content
    assert "Meetings › Journal article" not in visible_text(
        client.get("/papers/edelmann-2023-impact-sustainability-co-creation/")
    )


def test_footer_links_the_api_documentation(client, db):
    assert '<a href="/api/docs/">API documentation</a>' in client.get("/").content.decode()


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert client.get("/sitemap.xml").status_code == 200


def test_favicon_is_served(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/").content.decode()
