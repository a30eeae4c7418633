"""The site in English, French, Dutch and German: addresses, the switch, and pages as a
visitor in each language reads them (conference/site/languages.py)."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from conference.meetings.models import Meeting, MeetingTranslation, Series, TopicTranslation
from papers.citations import format_reference
from papers.citations.csl import paper_to_csl
from papers.models import Paper
from tests.factories.conference import TopicFactory
from tests.pages import count_queries, visible_text, visible_text_of

MEETING = "/meetings/coproduction-2023-nijmegen/"


@pytest.fixture
def meeting(demo_data):
    return Meeting.objects.get()


@pytest.fixture
def paper(demo_data):
    return Paper.objects.filter(presentations__isnull=False).distinct().order_by("pk").first()


def test_english_address_sends_a_visitor_who_prefers_french_to_the_french_page(client, meeting):
    response = client.get(
        MEETING + "?day=2023-05-11", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5"
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr" + MEETING + "?day=2023-05-11"
    assert {"Accept-Language", "Cookie"} <= {name.strip() for name in response["Vary"].split(",")}


@pytest.mark.parametrize("accept", ["", "en-US,en;q=0.9", "ja,zh;q=0.8"])
def test_english_address_answers_in_english_to_everyone_else(client, meeting, accept):
    response = client.get(MEETING, HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 200
    assert '<html lang="en-gb">' in response.content.decode()
    assert response["Content-Language"] == "en-gb"


def test_switch_keeps_the_page_and_remembers_the_choice(client, meeting):
    response = client.get(f"/language/de/?next=/fr{MEETING}%3Fday%3D2023-05-12")

    assert response.status_code == 302
    assert response["Location"] == f"/de{MEETING}?day=2023-05-12"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert "no-store" in response["Cache-Control"]


def test_choosing_english_is_kept_even_when_the_browser_asks_for_french(client, meeting):
    response = client.get(f"/language/en-gb/?next=/fr{MEETING}", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == MEETING

    response = client.get(MEETING, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response["Content-Language"] == "en-gb"


def test_switch_refuses_to_send_visitors_elsewhere(client, db):
    response = client.get("/language/fr/?next=https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_switch_to_an_unknown_language_is_not_found(client, db):
    assert client.get("/language/xx/?next=/").status_code == 404


def test_every_page_links_to_its_translations(client, meeting):
    page = client.get("/fr" + MEETING).content.decode()

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert alternates == {
        "en-gb": "http://testserver" + MEETING,
        "fr": "http://testserver/fr" + MEETING,
        "nl": "http://testserver/nl" + MEETING,
        "de": "http://testserver/de" + MEETING,
        "x-default": "http://testserver" + MEETING,
    }
    assert f'<link rel="canonical" href="http://testserver/fr{MEETING}">' in page
    assert '<html lang="fr">' in page


def test_language_switch_is_a_link_per_language_naming_itself(client, meeting):
    page = client.get("/nl" + MEETING).content.decode()
    switch = page[page.index('class="language-switch"') : page.index("</nav>")]

    assert re.findall(r">([^<>]+)</(?:a|span)>", switch) == [
        "English",
        "Français",
        "Nederlands",
        "Deutsch",
    ]
    assert '<span aria-current="true" lang="nl">Nederlands</span>' in switch
    assert f'href="/language/fr/?next=%2Fnl{MEETING.replace("/", "%2F")}"' in switch


def test_api_and_admin_keep_one_address_and_speak_the_visitors_language(client, db):
    assert client.get("/fr/api/meetings/").status_code == 404

    api = client.get("/api/meetings/", HTTP_ACCEPT_LANGUAGE="fr")
    assert api.status_code == 200
    admin = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert admin.status_code == 200
    assert "Benutzername" in visible_text(admin)


@pytest.mark.parametrize(
    ("language", "date_range", "edition", "country"),
    [
        ("", "11–12 May 2023", "10th open meeting", "Netherlands"),
        ("fr", "11–12 mai 2023", "10e réunion ouverte", "Pays-Bas"),
        ("nl", "11–12 mei 2023", "10e open bijeenkomst", "Nederland"),
        ("de", "11.–12. Mai 2023", "10. offenes Treffen", "Niederlande"),
    ],
)
def test_meeting_page_reads_in_each_language(
    client, meeting, language, date_range, edition, country
):
    prefix = f"/{language}" if language else ""
    text = visible_text(client.get(prefix + MEETING))

    assert date_range in text
    assert country in text
    home = visible_text(client.get(prefix + "/meetings/"))
    assert edition in home


@pytest.mark.parametrize(
    ("language", "locale"), [("fr", "fr-FR"), ("nl", "nl-NL"), ("de", "de-DE")]
)
def test_paper_page_cites_the_work_in_the_pages_language(client, paper, language, locale):
    page = client.get(f"/{language}{paper.get_absolute_url()}")
    expected = format_reference(paper_to_csl(paper), style="apa", locale=locale)

    assert page.status_code == 200
    assert visible_text_of(expected) in visible_text(page)
    assert expected != format_reference(paper_to_csl(paper), style="apa")


def test_api_formats_references_in_the_locale_asked_for(client, paper):
    response = client.get(
        f"/api/papers/{paper.slug}/",
        HTTP_ACCEPT="text/x-bibliography; style=apa; locale=fr-FR",
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == format_reference(
        paper_to_csl(paper), style="apa", locale="fr-FR"
    )


@pytest.mark.parametrize("language", ["", "fr", "nl", "de"])
def test_search_finds_the_meeting_in_each_language(client, meeting, language):
    prefix = f"/{language}" if language else ""
    response = client.get(prefix + "/search/?q=Nijmegen")

    assert response.status_code == 200
    assert meeting.display_title in visible_text(response)
    assert f'<html lang="{language or "en-gb"}">' in response.content.decode()


def test_meeting_page_shows_the_organizers_translation_and_falls_back_to_the_original(
    client, meeting
):
    MeetingTranslation.objects.create(
        meeting=meeting,
        language="fr",
        title="10e réunion ouverte du groupe d’étude",
        description="Deux jours de communications à Nimègue.",
    )

    french = client.get("/fr" + MEETING).content.decode()
    assert "<h1>10e réunion ouverte du groupe d’étude</h1>" in french
    assert "Deux jours de communications à Nimègue." in french
    dutch = client.get("/nl" + MEETING).content.decode()
    assert f"<h1>{meeting.display_title}</h1>" in dutch.replace("&#x27;", "'")
    english = client.get(MEETING).content.decode()
    assert "Nimègue" not in english


def test_topic_list_in_french_reads_translations_in_one_query_however_many(
    client, db, django_assert_num_queries
):
    for number in range(2):
        topic = TopicFactory(name=f"Topic {number}")
        TopicTranslation.objects.create(topic=topic, language="fr", name=f"Thème {number}")
    small = count_queries(client, "/fr/topics/")
    for number in range(2, 12):
        topic = TopicFactory(name=f"Topic {number}")
        TopicTranslation.objects.create(topic=topic, language="fr", name=f"Thème {number}")
    TopicFactory(name="Untranslated topic")

    assert count_queries(client, "/fr/topics/") == small
    text = visible_text(client.get("/fr/topics/"))
    assert "Thème 11" in text and "Topic 11" not in text
    assert "Untranslated topic" in text


def test_a_record_has_one_translation_per_language(db):
    topic = TopicFactory()
    TopicTranslation.objects.create(topic=topic, language="de", name="Thema")

    with pytest.raises(ValidationError, match="translation into this language"):
        TopicTranslation(topic=topic, language="de", name="Noch ein Thema").validate_constraints()


def test_organizer_adds_a_translation_on_the_series_admin_page(staff_client, demo_data):
    series = Series.objects.get()
    page = staff_client.get(f"/admin/conference/series/{series.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "In other languages (shown to visitors reading in them)" in html
    assert 'name="translations-__prefix__-language"' in html
    for language in ("French", "Dutch", "German"):
        assert f">{language}</option>" in html
