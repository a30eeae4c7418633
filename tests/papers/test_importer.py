"""Importing BibTeX / CSL-JSON: preview first, match existing people, all or nothing."""

import json

import pytest
from django.urls import reverse

from papers.importer import apply_plan, plan_import
from papers.models import Authorship, Paper, WorkRelation
from people.models import Person
from tests.factories.people import PersonFactory

SEED_ARTICLE_BIBTEX = """
@article{edelmann2023impact,
  author  = {Edelmann, Noella and Virkar, Shefali},
  title   = {The Impact of Sustainability on Co-Creation of Digital Public Services},
  journal = {Administrative Sciences},
  year    = {2023},
  volume  = {13},
  number  = {2},
  pages   = {43},
  doi     = {10.3390/admsci13020043}
}
"""


@pytest.fixture
def demo_without_the_article(demo_data):
    """The demo meeting whose 2023 article has not been recorded yet."""
    article = Paper.objects.get(doi="10.3390/admsci13020043")
    WorkRelation.objects.filter(target=article).delete()
    article.delete()


def test_seed_article_links_to_the_existing_noella_edelmann(demo_without_the_article):
    noella = Person.objects.get(slug="noella-edelmann")
    people_before = Person.objects.count()

    plan = plan_import(SEED_ARTICLE_BIBTEX)
    assert plan.is_valid
    (work,) = plan.works
    assert [(a.display_name, a.existing, a.matched_by) for a in work.authors] == [
        ("Noella Edelmann", noella, "name"),
        ("Shefali Virkar", Person.objects.get(slug="shefali-virkar"), "name"),
    ]
    (paper,) = apply_plan(plan)

    assert Person.objects.count() == people_before
    assert [a.person for a in paper.authorships.order_by("position")][0] == noella
    assert (paper.kind, paper.journal, paper.volume, paper.issue, paper.pages, paper.year) == (
        Paper.Kind.JOURNAL_ARTICLE,
        "Administrative Sciences",
        "13",
        "2",
        "43",
        2023,
    )
    assert paper.doi == "10.3390/admsci13020043"


def test_initials_match_a_single_candidate(db):
    noella = PersonFactory(given_name="Noella", family_name="Edelmann")
    plan = plan_import("@article{a, author={Edelmann, N.}, title={A title}, year={2024}}")
    assert plan.works[0].authors[0].existing == noella


def test_ambiguous_names_create_a_new_person_rather_than_guess(db):
    PersonFactory(given_name="Anna", family_name="Berg")
    PersonFactory(given_name="Astrid", family_name="Berg")
    plan = plan_import("@article{a, author={Berg, A.}, title={A title}, year={2024}}")
    assert plan.works[0].authors[0].existing is None


def test_orcid_in_csl_json_decides_the_match(db):
    person = PersonFactory(given_name="N.", family_name="Someone", orcid="0000-0002-1825-0097")
    text = json.dumps(
        [
            {
                "type": "article-journal",
                "title": "Matched by ORCID",
                "author": [
                    {"family": "Different", "given": "Name", "ORCID": "0000-0002-1825-0097"}
                ],
            }
        ]
    )
    plan = plan_import(text, format="csljson")
    assert (plan.works[0].authors[0].existing, plan.works[0].authors[0].matched_by) == (
        person,
        "ORCID",
    )


def test_already_recorded_doi_is_an_error_and_nothing_is_written(demo_data):
    papers_before = Paper.objects.count()
    plan = plan_import(SEED_ARTICLE_BIBTEX)
    assert not plan.is_valid
    assert plan.works[0].errors == [
        "Entry 1 (edelmann2023impact), DOI: a work with DOI 10.3390/admsci13020043 is already "
        "recorded: “The Impact of Sustainability on Co-Creation of Digital Public Services”."
    ]
    with pytest.raises(Exception, match="The import has errors"):
        apply_plan(plan)
    assert Paper.objects.count() == papers_before


def test_malformed_bibtex_reports_the_entry_and_imports_nothing(db):
    text = SEED_ARTICLE_BIBTEX + "\n@article{broken, title = {Unclosed\n"
    plan = plan_import(text)
    assert not plan.is_valid
    assert plan.errors and plan.errors[0].startswith("BibTeX:")
    assert Paper.objects.count() == 0


def test_new_authors_shared_by_two_entries_become_one_person(db):
    text = """
    @article{a, author={Zoë Müller and Ñúñez, José}, title={First}, year={2024}}
    @article{b, author={Müller, Zoë}, title={Second}, year={2024}}
    """
    plan = plan_import(text)
    assert plan.is_valid, plan.errors
    apply_plan(plan)
    assert Person.objects.filter(family_name="Müller").count() == 1
    assert Authorship.objects.count() == 3


def test_admin_import_previews_then_imports(staff_client, demo_without_the_article):
    url = reverse("admin:papers_paper_import")
    assert staff_client.get(url).status_code == 200

    preview = staff_client.post(
        url, {"format": "bibtex", "text": SEED_ARTICLE_BIBTEX, "preview": "1"}
    )
    content = preview.content.decode()
    assert "linked to existing" in content
    assert "Noella Edelmann" in content
    assert Paper.objects.filter(doi="10.3390/admsci13020043").count() == 0

    confirm = staff_client.post(
        url, {"format": "bibtex", "text": SEED_ARTICLE_BIBTEX, "confirm": "1"}
    )
    assert confirm.status_code == 302
    assert Paper.objects.filter(doi="10.3390/admsci13020043").count() == 1


def test_admin_import_with_nothing_given_says_what_to_do(staff_client, db):
    response = staff_client.post(
        reverse("admin:papers_paper_import"), {"format": "bibtex", "text": " "}
    )
    assert "Paste some entries or choose a file." in response.content.decode()


def test_admin_import_shows_errors_and_offers_no_import_button(staff_client, demo_data):
    response = staff_client.post(
        reverse("admin:papers_paper_import"), {"format": "bibtex", "text": SEED_ARTICLE_BIBTEX}
    )
    content = response.content.decode()
    assert "is already recorded" in content
    assert 'name="confirm"' not in content


def test_admin_import_is_for_staff_only(client, db):
    response = client.get(reverse("admin:papers_paper_import"))
    assert response.status_code == 302


def test_preview_reports_a_url_that_is_not_a_web_address(db):
    plan = plan_import(
        "@article{a, author={Steen, Trui}, title={T}, year={2024}, url={javascript:alert(1)}}"
    )
    assert not plan.is_valid
    assert plan.works[0].errors == ["Entry 1 (a), URL: Enter a valid URL."]


def test_preview_reports_a_title_that_is_too_long(db):
    plan = plan_import("@article{a, author={Steen, Trui}, title={%s}, year={2024}}" % ("x" * 600))
    assert plan.works[0].errors == [
        "Entry 1 (a), title: Ensure this value has at most 500 characters (it has 600)."
    ]


def test_an_entry_without_doi_already_recorded_is_an_error_and_nothing_is_written(db):
    text = "@article{a, author={Müller, Zoë and Ñúñez, José}, title={First}, year={2024}}"
    apply_plan(plan_import(text))

    again = plan_import(text.replace("First", "FIRST"))

    assert not again.is_valid
    assert again.works[0].errors == [
        "Entry 1 (a), “First” (2024) by Zoë Müller and José Ñúñez is already recorded."
    ]
    assert Paper.objects.count() == 1
    # Another year, or other authors, make another work.
    assert plan_import(text.replace("2024", "2025")).is_valid
    assert plan_import(text.replace("Ñúñez, José", "Ruiz, Ana")).is_valid


THESIS_AND_OTHERS_BIBTEX = """
@phdthesis{hoevens2019,
  author = {Hoevens, Noortje and Honingh, Marlies and others},
  title = {Coproduction in Dutch Schools},
  school = {Radboud University},
  year = {2019},
  isbn = {978-94-6375-123-4},
  series = {Dissertation Series},
  organization = {IIAS}
}
"""


def test_and_others_is_no_person_and_the_preview_says_what_is_not_recorded(db):
    (work,) = plan_import(THESIS_AND_OTHERS_BIBTEX).works

    assert [author.display_name for author in work.authors] == [
        "Noortje Hoevens",
        "Marlies Honingh",
    ]
    assert work.errors == []
    assert work.not_stored == [
        "ISBN",
        "organization",
        "series",
        "the authors after the 2 named (“and others”): references list every author up to "
        "20, so add them to the work after importing",
    ]


def test_phdthesis_imports_as_a_thesis_with_its_university(db):
    (paper,) = apply_plan(plan_import(THESIS_AND_OTHERS_BIBTEX))

    assert (paper.kind, paper.genre, paper.publisher) == (
        Paper.Kind.THESIS,
        "Doctoral dissertation",
        "Radboud University",
    )
    assert not Person.objects.filter(family_name="others").exists()


def test_a_type_without_a_match_is_refused_naming_the_entry_and_field(db):
    plan = plan_import("@misc{notes2020, author = {Steen, Trui}, title = {Notes}, year = {2020}}")

    assert plan.works[0].errors == [
        "Entry 1 (notes2020), type: “document” is none of the work types recorded here (BibTeX "
        "@article, @inproceedings, @presentation, @book, @incollection or @inbook, @report or "
        "@techreport, @thesis, @phdthesis or @mastersthesis); change the entry's type."
    ]
    assert not plan.is_valid


def test_editors_and_organisations_import_in_their_roles(db):
    bibtex = """
@incollection{steen2018,
  author = {{World Health Organization}},
  editor = {Brandsen, Taco and Steen, Trui},
  title = {Co-creation in practice},
  booktitle = {Co-Production and Co-Creation},
  publisher = {Routledge},
  address = {New York},
  year = {2018}
}
"""
    (paper,) = apply_plan(plan_import(bibtex))

    contributors = [
        (a.role, a.position, a.person.given_name, a.person.family_name, a.person.is_organisation)
        for a in paper.authorships.order_by("role", "position")
    ]
    assert contributors == [
        ("author", 1, "", "World Health Organization", True),
        ("editor", 1, "Taco", "Brandsen", False),
        ("editor", 2, "Trui", "Steen", False),
    ]
    assert (paper.kind, paper.journal, paper.publisher_place) == (
        Paper.Kind.CHAPTER,
        "Co-Production and Co-Creation",
        "New York",
    )


def test_an_author_without_a_family_name_is_an_error_naming_entry_and_field(db):
    plan = plan_import(
        json.dumps([{"id": "x1", "type": "book", "title": "T", "author": [{"given": "Ana"}]}]),
        format="csljson",
    )

    assert plan.works[0].errors == [
        "Entry 1 (x1), author 1: has no family name.",
        "Entry 1 (x1), author: the entry names no authors or editors.",
    ]


def test_admin_preview_names_what_will_not_be_recorded(staff_client, db):
    response = staff_client.post(
        reverse("admin:papers_paper_import"),
        {"format": "bibtex", "text": THESIS_AND_OTHERS_BIBTEX, "preview": "1"},
    )

    content = response.content.decode()
    assert "Not recorded, as the archive has no field for them: ISBN; organization; series;" in (
        content
    )
    assert "Thesis (Doctoral dissertation)" in content
