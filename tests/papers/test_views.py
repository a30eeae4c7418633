import re

import pytest

from papers.models import WorkRelation
from papers.views import apa_reference
from tests.factories.conference import MeetingFactory
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
    WorkRelationFactory,
)
from tests.factories.people import InstitutionFactory
from tests.pages import MAX_PAGE_QUERIES, count_queries, visible_text

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
        "Cite this APA style Edelmann, N., & Virkar, S. (2023). The Impact of Sustainability on "
        "Co-Creation of Digital Public Services. Administrative Sciences, 13(2), 43. "
        "https://doi.org/10.3390/admsci13020043"
    ) in article_text
    assert (
        "Edelmann, N., Steen, T., & van Dijk, C. (2023). Sustainability and Co-creation in Public "
        "Sector Organisations: Practices, Outcomes, and Lessons Learned [Paper presentation]. "
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’, "
        "Nijmegen, Netherlands."
    ) in paper_text


def test_apa_reference_without_authors_or_year(db):
    paper = PaperFactory(title="An anonymous report", year=None, kind="report", publisher="IIAS")

    assert apa_reference(paper) == "An anonymous report. IIAS."


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
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count


@pytest.mark.parametrize("url", [PAPER_URL, ARTICLE_URL])
def test_paper_page_has_one_h1_and_headings_in_order(client, demo_data, url):
    content = client.get(url).content.decode()

    levels = [int(level) for level in re.findall(r"<h([1-6])", content)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))
