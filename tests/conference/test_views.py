import datetime
import re

import icalendar
import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from conference.meetings.models import Meeting, Project, Topic
from tests.factories.conference import (
    CommitteeMemberFactory,
    MeetingFactory,
    MeetingSupportFactory,
    MeetingTopicFactory,
    ProjectFactory,
    RoomFactory,
    SeriesFactory,
    SessionFactory,
    TopicFactory,
)
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
    WorkRelationFactory,
    create_programme,
)
from tests.factories.people import AffiliationFactory, InstitutionFactory, PersonFactory
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text, visible_text_of

MEETING_URL = "/meetings/coproduction-2023-nijmegen/"
PAPER_URL = "/papers/sustainability-and-co-creation-in-public-sector-organisations/"


@pytest.fixture
def tz_today(monkeypatch):
    """Pin "today" so upcoming/past does not depend on the day the tests run."""
    today = datetime.date(2024, 1, 15)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    return today


def test_home_lists_past_and_upcoming_meetings_by_series(client, demo_data, tz_today):
    upcoming = MeetingFactory(
        start_date=datetime.date(2024, 6, 3), city="Leuven", country="BE", edition=4
    )

    response = client.get("/")

    assert response.status_code == 200
    text = visible_text(response)
    upcoming_part, past_part = text.split("Latest meetings")
    assert "Upcoming meetings" in upcoming_part
    series = upcoming.series.short_name or upcoming.series.name
    assert (
        f"4th open meeting {series} 3–4 June 2024 Leuven, Belgium Programme not yet recorded"
    ) in upcoming_part
    assert (
        "10th open meeting Coproduction of Public Services 11–12 May 2023 Nijmegen, "
        "Netherlands 1 talk"
    ) in past_part
    assert (
        "Meeting series IIAS Study Group on ‘Coproduction of Public Services’ · 1 meeting · "
        "International Institute of Administrative Sciences"
    ) in past_part
    assert f'href="{MEETING_URL}"' in response.content.decode()


def test_home_lists_meetings_of_a_series_newest_first(client, db, tz_today):
    older = MeetingFactory(start_date=datetime.date(2021, 5, 11), edition=8)
    MeetingFactory(series=older.series, start_date=datetime.date(2022, 5, 11), edition=9)

    text = visible_text(client.get("/"))

    assert text.index("9th open meeting") < text.index("8th open meeting")


def test_home_has_no_upcoming_block_when_nothing_is_upcoming(client, demo_data, tz_today):
    text = visible_text(client.get("/"))

    assert "Upcoming meetings" not in text
    assert "Latest meetings 10th open meeting" in text


def test_meeting_page_shows_the_report(client, demo_data):
    response = client.get(MEETING_URL)

    assert response.status_code == 200
    text = visible_text(response)
    content = response.content.decode()
    assert "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’" in text
    assert "International Institute of Administrative Sciences" in text
    assert "11–12 May 2023" in text
    assert "Radboud University" in text
    assert "Nijmegen" in text
    assert "Netherlands" in text
    assert "a global intellectual platform for the theoretical discussion" in text
    assert content.count("<h1") == 1


def test_meeting_page_lists_topics_in_announced_order(client, demo_data):
    text = visible_text(client.get(MEETING_URL))

    topics = [
        "The challenges of coproduction for professionals",
        "The capacity and willingness of citizens to engage in coproduction",
        "The potential benefits and pitfalls of directly involving citizens",
        "The conditions for sustaining and scaling up co-creation",
        "Digital co-production",
    ]
    positions = [text.index(topic) for topic in topics]
    assert positions == sorted(positions)


def test_meeting_page_programme_shows_presenters_with_institutions(client, demo_data):
    """The report's one talk, first on the page: its presenters in order, each with the
    institution written out; no session, time or room, as the report gives none."""
    response = client.get(MEETING_URL)

    text = visible_text(response)
    content = response.content.decode()
    assert (
        '<a href="/papers/sustainability-and-co-creation-in-public-sector-organisations/">'
        "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
        "and Lessons Learned</a>"
    ) in content
    assert (
        "Presented by Noella Edelmann (University for Continuing Education Krems), "
        "Trui Steen (KU Leuven) and Charlotte van Dijk (KU Leuven)"
    ) in text
    programme = content[content.index('id="programme-heading"') : content.index('id="about"')]
    assert "<abbr" not in programme
    assert not re.search(r"\b\d\d:\d\d\b", visible_text_of(programme))
    assert "session" not in visible_text_of(programme).lower()
    assert content.index("Presented by") < content.index('id="about-heading"')


def test_meeting_page_groups_committee_by_institution(client, demo_data):
    text = visible_text(client.get(MEETING_URL))

    assert "Trui Steen (KU Leuven, Belgium)" in text
    assert "Tina Nabatchi (Syracuse University, United States of America)" in text
    assert "Dirk Brand (University of Stellenbosch, South Africa)" in text
    assert (
        "Taco Brandsen, Noortje Hoevens, Marlies Honingh, Menno Hoppen and Ina Radtke "
        "(Radboud University Nijmegen, Netherlands)"
    ) in text


def test_meeting_page_shows_projects_and_acknowledgment(client, demo_data):
    text = visible_text(client.get(MEETING_URL))

    assert "inGOV — Inclusive Governance Models" in text
    assert "Interlink" in text
    assert "Grant agreement 962563" in text
    assert (
        "This meeting was supported by the project inGOV, which received funding from the "
        "European Union’s Horizon 2020 research and innovation programme under Grant "
        "Agreement 962563."
    ) in text
    assert "Thank you to the organizers of the meeting and the IIAS study group." in text


def test_meeting_description_keeps_paragraphs_and_escapes_markup(client, db):
    meeting = MeetingFactory(description="First <b>bold</b> paragraph.\n\nSecond paragraph.")

    content = client.get(meeting.get_absolute_url()).content.decode()

    assert "<p>First &lt;b&gt;bold&lt;/b&gt; paragraph.</p>" in content
    assert "<p>Second paragraph.</p>" in content


def test_meeting_page_query_count_does_not_grow_with_programme(
    client, db, django_assert_max_num_queries
):
    small = MeetingFactory()
    create_programme(small, papers=1, authors_per_paper=1)
    large = MeetingFactory()
    create_programme(large, papers=30, authors_per_paper=5)
    for meeting in (small, large):
        MeetingTopicFactory(meeting=meeting)
        CommitteeMemberFactory(meeting=meeting)
        MeetingSupportFactory(meeting=meeting, acknowledged=True)
    for position in range(2, 8):
        MeetingTopicFactory(meeting=large, position=position)
        CommitteeMemberFactory(meeting=large, position=position)

    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count


def test_home_query_count_does_not_grow_with_meetings(client, db, django_assert_max_num_queries):
    MeetingFactory()
    small_count = count_queries(client, "/")
    MeetingFactory.create_batch(30)
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large_count = count_queries(client, "/")

    assert small_count == large_count


def test_topic_page_lists_meetings_and_works(client, demo_data):
    response = client.get("/topics/digital-co-production/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Digital co-production" in text
    assert "10th open meeting of the IIAS Study Group" in text
    assert "Sustainability and Co-creation in Public Sector Organisations" in text
    assert "The Impact of Sustainability on Co-Creation of Digital Public Services" in text
    assert "Noella Edelmann (DUK) and Shefali Virkar (DUK)" in text


def test_project_page_shows_funding_meetings_and_works(client, demo_data):
    response = client.get("/projects/ingov/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Funder European Union" in text
    assert "Programme Horizon 2020 research and innovation programme" in text
    assert "Grant agreement 962563" in text
    assert "10th open meeting of the IIAS Study Group" in text
    assert "Organized and supported · acknowledged in the meeting report" in text
    assert "Sustainability and Co-creation in Public Sector Organisations" in text


def _topic_and_project_with_works(count, authors):
    topic, project = TopicFactory(), ProjectFactory()
    meeting = MeetingFactory()
    MeetingTopicFactory(meeting=meeting, topic=topic)
    MeetingSupportFactory(meeting=meeting, project=project)
    for presentation in create_programme(meeting, papers=count, authors_per_paper=authors):
        presentation.paper.topics.add(topic)
        presentation.paper.projects.add(project)
    return topic, project


def test_topic_and_project_query_counts_do_not_grow_with_works(
    client, db, django_assert_max_num_queries
):
    small_topic, small_project = _topic_and_project_with_works(1, 1)
    large_topic, large_project = _topic_and_project_with_works(30, 5)

    for small, large in ((small_topic, large_topic), (small_project, large_project)):
        small_count = count_queries(client, small.get_absolute_url())
        with django_assert_max_num_queries(MAX_PAGE_QUERIES):
            large_count = count_queries(client, large.get_absolute_url())
        assert small_count == large_count


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/no-such-meeting/",
        "/meetings/no-such-meeting.ics",
        "/topics/no-such-topic/",
        "/projects/no-such-project/",
        "/people/no-such-person/",
        "/institutions/no-such-institution/",
        "/papers/no-such-paper/",
        "/no/such/page/",
    ],
)
def test_unknown_pages_show_the_friendly_404(client, demo_data, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert "There is no page at this address." in visible_text(response)


def test_500_page_renders_without_database_or_context(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_meeting_calendar_file_parses_with_the_right_dates(client, demo_data):
    response = client.get("/meetings/coproduction-2023-nijmegen.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(2023, 5, 11)
    assert event.decoded("dtend") == datetime.date(2023, 5, 13)
    assert str(event["summary"]).startswith("10th open meeting of the IIAS Study Group")
    assert str(event["location"]) == "Radboud University, Nijmegen, Netherlands"
    assert str(event["url"]) == f"http://testserver{MEETING_URL}"
    assert "a global intellectual platform" in str(event["description"])
    assert str(event["uid"]).startswith("coproduction-2023-nijmegen@")


def test_meeting_calendar_uid_survives_edits(client, demo_data):
    before = icalendar.Calendar.from_ical(client.get("/meetings.ics").content)
    meeting = Meeting.objects.get(slug="coproduction-2023-nijmegen")
    meeting.venue = "Elinor Ostrom building"
    meeting.save()
    after = icalendar.Calendar.from_ical(client.get("/meetings.ics").content)

    uids_before = [str(event["uid"]) for event in before.walk("VEVENT")]
    uids_after = [str(event["uid"]) for event in after.walk("VEVENT")]
    assert uids_before == uids_after
    assert "Elinor Ostrom building" in str(after.walk("VEVENT")[0]["location"])


def test_all_meetings_calendar_holds_every_meeting(client, demo_data):
    MeetingFactory(start_date=datetime.date(2024, 6, 3), end_date=datetime.date(2024, 6, 3))

    response = client.get("/meetings.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    dates = sorted((event.decoded("dtstart"), event.decoded("dtend")) for event in events)
    assert dates == [
        (datetime.date(2023, 5, 11), datetime.date(2023, 5, 13)),
        (datetime.date(2024, 6, 3), datetime.date(2024, 6, 4)),
    ]


def test_sitemap_lists_the_demo_pages(client, demo_data):
    index = client.get("/sitemap.xml")

    assert index.status_code == 200
    sections = re.findall(
        r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index.content.decode()
    )
    content = "".join(client.get(section).content.decode() for section in sections)
    for path in (
        "/",
        "/meetings/",
        "/series/",
        "/series/coproduction-of-public-services/",
        "/topics/",
        "/papers/",
        "/people/",
        "/institutions/",
        MEETING_URL,
        PAPER_URL,
        "/papers/edelmann-2023-impact-sustainability-co-creation/",
        "/people/noella-edelmann/",
        "/institutions/duk/",
        "/topics/digital-co-production/",
        "/projects/ingov/",
        "/projects/interlink/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in content
    # robots.txt keeps crawlers out of search results: the sitemap does not invite them in.
    assert "<loc>http://testserver/search/</loc>" not in content


def test_each_page_has_its_own_title_and_the_home_page_is_the_site_s_name(client, demo_data):
    urls = ["/", "/meetings/", MEETING_URL, PAPER_URL, "/people/noella-edelmann/", "/search/"]
    titles = {}
    for url in urls:
        content = client.get(url).content.decode()
        titles[url] = content.split("<title>", 1)[1].split("</title>", 1)[0]

    assert titles["/"] == "Scholarly Meetings Archive"
    assert titles["/meetings/"] == "Meetings · Scholarly Meetings Archive"
    assert len(set(titles.values())) == len(urls), titles


@pytest.mark.parametrize(
    "url",
    [
        "/",
        MEETING_URL,
        PAPER_URL,
        "/people/noella-edelmann/",
        "/institutions/klu/",
        "/topics/digital-co-production/",
        "/projects/ingov/",
        "/search/?q=Nijmegen",
    ],
)
def test_every_page_has_title_description_canonical_and_landmarks(client, demo_data, url):
    content = client.get(url).content.decode()

    assert content.count("<title>") == 1
    assert '<meta name="description" content="' in content
    assert '<meta name="description" content="">' not in content
    assert '<link rel="canonical" href="http://testserver/' in content
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in content
    assert 'href="#main">Skip to main content</a>' in content
    assert content.count("<h1") == 1
    # No inline code (a strict CSP forbids it): only external scripts and JSON-LD data blocks.
    for tag in re.findall(r"<script[^>]*>", content):
        assert ' src="/static/' in tag or 'type="application/ld+json"' in tag, tag
    assert "style=" not in content


@pytest.mark.parametrize(
    ("url", "model", "slug"),
    [
        (MEETING_URL, Meeting, "coproduction-2023-nijmegen"),
        ("/topics/digital-co-production/", Topic, "digital-co-production"),
        ("/projects/ingov/", Project, "ingov"),
    ],
)
def test_staff_see_the_edit_link_and_visitors_do_not(demo_data, staff_client, url, model, slug):
    record = model.objects.get(slug=slug)
    edit_url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]
    )

    assert f'href="{edit_url}"' in staff_client.get(url).content.decode()
    # staff_client is pytest-django's client, logged in: visitors need their own.
    assert edit_url not in Client().get(url).content.decode()


def test_every_admin_view_on_site_link_lands_on_a_page(staff_client, demo_data):
    # The seed gives no sessions or rooms (nothing is invented in the demo): add one of each.
    meeting = Meeting.objects.get()
    SessionFactory(meeting=meeting, room=RoomFactory(meeting=meeting))
    checked = []
    for model in admin.site._registry:
        if not hasattr(model, "get_absolute_url"):
            continue
        record = model._default_manager.order_by("pk").first()
        assert record is not None, f"the demo data holds no {model.__name__}"
        content_type = ContentType.objects.get_for_model(model)
        view_on_site = reverse("admin:view_on_site", args=[content_type.pk, record.pk])

        change_page = staff_client.get(
            reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]
            )
        ).content.decode()
        response = staff_client.get(view_on_site, follow=True)

        assert view_on_site in change_page
        assert response.status_code == 200, model
        assert response.redirect_chain[-1][0].endswith(record.get_absolute_url())
        checked.append(model.__name__)
    assert {"Meeting", "Topic", "Project", "Paper", "Person", "Institution"} <= set(checked)


EVIL = "<script>alert(1)</script>"


@pytest.fixture
def records_with_markup_in_their_text(db):
    """One record of every kind whose user-typed text is HTML, all linked to each other."""
    institution = InstitutionFactory(name=EVIL, short_name=EVIL, city=EVIL)
    person = PersonFactory(given_name=EVIL, family_name=EVIL)
    AffiliationFactory(person=person, institution=institution)
    topic, project = TopicFactory(name=EVIL), ProjectFactory(acronym=EVIL, title=EVIL)
    series = SeriesFactory(name=EVIL, parent_organisation=institution)
    meeting = MeetingFactory(series=series, title=EVIL, venue=EVIL, city="Leiden", description=EVIL)
    MeetingTopicFactory(meeting=meeting, topic=topic)
    MeetingSupportFactory(meeting=meeting, project=project, acknowledged=True)
    CommitteeMemberFactory(meeting=meeting, person=person, affiliation=institution)
    paper = PaperFactory(title=EVIL, abstract=EVIL, journal=EVIL)
    paper.topics.add(topic)
    paper.projects.add(project)
    authorship = AuthorshipFactory(paper=paper, person=person, affiliation=institution, position=1)
    presentation = PresentationFactory(meeting=meeting, paper=paper)
    PresenterFactory(presentation=presentation, authorship=authorship)
    WorkRelationFactory(source=paper, target=PaperFactory(title="Earlier work"), note=EVIL)
    return [meeting, paper, person, institution, topic, project]


def test_user_text_is_escaped_on_every_page(client, records_with_markup_in_their_text):
    urls = [record.get_absolute_url() for record in records_with_markup_in_their_text]
    urls += ["/", "/search/?q=script", "/papers/earlier-work/"]

    for url in urls:
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert "<script>alert(1)" not in content, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, url
        assert EVIL in visible_text(response), url
