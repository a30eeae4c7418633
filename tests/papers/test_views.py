import html
import re

import pytest

from papers.models import WorkRelation
from tests.factories.conference import MeetingFactory
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
    WorkRelationFactory,
)
from tests.factories.people import InstitutionFactory
from tests.pages import PAPER_PAGE_QUERIES, count_queries, visible_text

PAPER_URL = "/papers/sustainability-and-co-creation-in-public-sector-organisations/"
ARTICLE_URL = "/papers/edelmann-2023-impact-sustainability-co-creation/"


def test_paper_page_shows_authors_with_numbered_affiliations(client, demo_data):
    response = client.get(PAPER_URL)

    assert response.status_code == 200
    text = visible_text(response)
    assert (
        "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
        "and Lessons Learned"
    ) in text
    assert "Noella Edelmann1, Trui Steen2 and Charlotte van Dijk2" in text
    assert "1 University for Continuing Education Krems (DUK), Krems an der Donau, Austria" in text
    assert "2 KU Leuven (KLU), Leuven, Belgium" in text
    content = response.content.decode()
    assert '<sup><a class="affiliation-ref" href="#affiliation-2"' in content


def test_paper_page_numbers_nothing_when_authors_share_one_institution(client, demo_data):
    text = visible_text(client.get(ARTICLE_URL))

    assert "Noella Edelmann and Shefali Virkar" in text
    assert "University for Continuing Education Krems (DUK)" in text
    assert "<sup>" not in client.get(ARTICLE_URL).content.decode()


def test_paper_page_shows_abstract_topics_projects_and_presentation(client, demo_data):
    text = visible_text(client.get(PAPER_URL))

    assert "How can sustainability in the public sector be defined" in text
    assert "Digital co-production" in text
    assert "inGOV — Inclusive Governance Models" in text
    assert "Grant Agreement 962563" in text
    assert (
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’ "
        "· 11–12 May 2023 · Nijmegen, Netherlands"
    ) in text
    assert (
        "Presented by Noella Edelmann (DUK), Trui Steen (KLU) and Charlotte van Dijk (KLU)"
    ) in text


def test_paper_page_shows_the_extended_article_with_its_doi(client, demo_data):
    response = client.get(PAPER_URL)

    text = visible_text(response)
    content = response.content.decode()
    assert "This work builds on Extends Edelmann & Virkar (2023)." in text
    assert "Significantly extends previous research output published earlier this year" in text
    assert f'<a href="{ARTICLE_URL}">' in content
    assert (
        '<a href="https://doi.org/10.3390/admsci13020043">https://doi.org/10.3390/admsci13020043</a>'
    ) in content


def test_article_page_shows_the_work_extending_it(client, demo_data):
    response = client.get(ARTICLE_URL)

    text = visible_text(response)
    assert "Later works building on this one Extended by Edelmann, Steen & van Dijk (2023)." in text
    assert f'<a href="{PAPER_URL}">' in response.content.decode()
    assert "Journal Administrative Sciences, vol. 13, no. 2, article 43" in text
    assert "Publisher MDPI" in text
    assert "Published 5 February 2023" in text
    assert "DOI https://doi.org/10.3390/admsci13020043" in text


def test_paper_page_cite_box_gives_an_apa_reference(client, demo_data):
    article_text = visible_text(client.get(ARTICLE_URL))
    paper_text = visible_text(client.get(PAPER_URL))

    assert (
        "Edelmann, N., & Virkar, S. (2023). The Impact of Sustainability on "
        "Co-Creation of Digital Public Services. Administrative Sciences, 13(2), 43. "
        "https://doi.org/10.3390/admsci13020043"
    ) in article_text
    assert (
        "Edelmann, N., Steen, T., & van Dijk, C. (2023, May 11–12). Sustainability and "
        "Co-creation in Public Sector Organisations: Practices, Outcomes, and Lessons Learned "
        "[Paper presentation]. 10th open meeting of the IIAS Study Group on ‘Coproduction of "
        "Public Services,’ Nijmegen, Netherlands."
    ) in paper_text


def test_cite_box_italicises_the_journal_and_links_the_doi(client, demo_data):
    content = client.get(ARTICLE_URL).content.decode()
    assert "<i>Administrative Sciences</i>, <i>13</i>(2), 43." in content
    assert (
        '<a href="https://doi.org/10.3390/admsci13020043">'
        "https://doi.org/10.3390/admsci13020043</a>"
    ) in content


def test_cite_box_style_picker_changes_the_style_without_javascript(client, demo_data):
    text = visible_text(client.get(ARTICLE_URL, {"style": "ieee"}))
    assert (
        "N. Edelmann and S. Virkar, “The Impact of Sustainability on Co-Creation of Digital "
        "Public Services,” Administrative Sciences, vol. 13, no. 2, p. 43, Feb. 2023"
    ) in text
    content = client.get(ARTICLE_URL, {"style": "ieee"}).content.decode()
    assert '<option value="ieee" selected>IEEE</option>' in content


def test_cite_box_falls_back_to_apa_for_an_unknown_style(client, demo_data):
    response = client.get(ARTICLE_URL, {"style": "<script>"})
    assert response.status_code == 200
    assert "Edelmann, N., &amp; Virkar, S. (2023)." in response.content.decode()
    assert "<script>" not in response.content.decode().split("cite-box")[1]


@pytest.mark.parametrize(
    ("extension", "content_type", "first_line"),
    [
        ("bib", "application/x-bibtex", "@article{edelmann2023impact-32xc,"),
        ("ris", "application/x-research-info-systems", "TY  - JOUR"),
        ("json", "application/vnd.citationstyles.csl+json", "["),
    ],
)
def test_paper_citation_downloads(client, demo_data, extension, content_type, first_line):
    response = client.get(f"{ARTICLE_URL}cite.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="edelmann-2023-impact-sustainability-co-creation.{extension}"'
    )
    assert response.content.decode().splitlines()[0] == first_line


def test_unknown_citation_file_type_is_a_clear_400(client, demo_data):
    response = client.get(f"{ARTICLE_URL}cite.doc")
    assert response.status_code == 400
    assert "choose .bib, .ris, .json" in response.content.decode()


def test_citation_download_of_an_unknown_paper_is_404(client, db):
    assert client.get("/papers/no-such-paper/cite.bib").status_code == 404


def test_paper_page_carries_highwire_tags_and_json_ld(client, demo_data):
    import json
    import re

    content = client.get(PAPER_URL).content.decode()
    assert '<meta name="citation_author" content="van Dijk, Charlotte">' in content
    assert '<meta name="citation_conference_title" content="10th open meeting' in content
    (payload,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    data = json.loads(payload)
    assert (data["@type"], data["recordedAt"]["@type"]) == ("CreativeWork", "Event")
    assert [author["familyName"] for author in data["author"]] == ["Edelmann", "Steen", "van Dijk"]


def test_paper_page_links_topics_people_and_institutions(client, demo_data):
    content = client.get(PAPER_URL).content.decode()

    for path in (
        "/people/noella-edelmann/",
        "/people/trui-steen/",
        "/people/charlotte-van-dijk/",
        "/institutions/duk/",
        "/institutions/klu/",
        "/topics/digital-co-production/",
        "/projects/ingov/",
        "/meetings/coproduction-2023-nijmegen/",
    ):
        assert f'href="{path}"' in content


def _paper_with_relations(count, authors):
    """A presented work by ``authors`` authors that extends ``count`` works and is cited by
    ``count`` works, each of those by ``authors`` authors too."""
    paper = PaperFactory()
    institutions = InstitutionFactory.create_batch(2)
    authorships = [
        AuthorshipFactory(paper=paper, position=position, affiliation=institutions[position % 2])
        for position in range(1, authors + 1)
    ]
    presentation = PresentationFactory(meeting=MeetingFactory(), paper=paper)
    for position, authorship in enumerate(authorships, start=1):
        PresenterFactory(presentation=presentation, authorship=authorship, position=position)
    for _ in range(count):
        extended, citing = PaperFactory(), PaperFactory()
        WorkRelationFactory(source=paper, target=extended, kind=WorkRelation.Kind.EXTENDS)
        WorkRelationFactory(source=citing, target=paper, kind=WorkRelation.Kind.CITES)
        for other in (extended, citing):
            for position in range(1, authors + 1):
                AuthorshipFactory(paper=other, position=position)
    return paper


def test_paper_page_query_count_does_not_grow_with_authors_and_relations(
    client, db, django_assert_max_num_queries
):
    small = _paper_with_relations(1, 1)
    large = _paper_with_relations(30, 5)

    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(PAPER_PAGE_QUERIES):
        large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count


@pytest.mark.parametrize("url", [PAPER_URL, ARTICLE_URL])
def test_paper_page_has_one_h1_and_headings_in_order(client, demo_data, url):
    content = client.get(url).content.decode()

    levels = [int(level) for level in re.findall(r"<h([1-6])", content)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


HOSTILE_TITLE = 'Why <span class="nocase">eGov</span> & <b>Services</b> Fail'


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "harvard", "ieee"])
def test_cite_box_shows_markup_typed_in_the_data_as_text(client, db, style):
    paper = PaperFactory(
        title=HOSTILE_TITLE,
        kind="journal_article",
        journal="Policy <& Politics>",
        volume="<3",
        pages="1<2",
        slug="hostile",
    )
    AuthorshipFactory(paper=paper, person__given_name="Zoë", person__family_name="O<Hoppen")

    content = client.get(f"/papers/hostile/?style={style}").content.decode()
    (box,) = re.findall(
        r'<div class="cite-box__text" id="citation-text">(.*?)</div>\s*<p', content, re.S
    )

    # CSL-JSON's rich text is formatting, as in Zotero: <b> is bold and the nocase span keeps
    # "eGov" out of title case; any other markup-like text is escaped exactly once.
    assert "<b>Services</b>" in box
    assert "<span" not in box and "nocase" not in box
    assert "eGov" in box
    assert "&#60;3" in box or "&lt;3" in box
    assert "1&#60;2" in box or "1&lt;2" in box
    assert "&amp;lt;" not in box and "&amp;#" not in box and "&#38;#" not in box
    assert "<&" not in box and "O<Hoppen" not in box
    shown = html.unescape(re.sub(r"<[^>]+>", "", box))
    assert "Why eGov & Services Fail" in shown
    assert "Policy <& Politics>" in shown
    assert "O<Hoppen" in shown
    # The API's formatted reference is the engine's text for the same item.
    api = client.get("/api/papers/hostile/", HTTP_ACCEPT=f"text/x-bibliography; style={style}")
    text = api.content.decode()
    assert "Why eGov & Services Fail" in text
    assert "Policy <& Politics>" in text
    assert "O<Hoppen" in text
