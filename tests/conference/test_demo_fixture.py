"""The demo meeting holds every fact of the seed report (../shared/seed/FACTS.md)."""

import datetime

import pytest
from django.core.management import call_command

from conference.meetings.models import CommitteeMember, Meeting
from papers.models import Paper, WorkRelation
from people.models import Institution, Person

MEETING_SLUG = "coproduction-2023-nijmegen"


@pytest.fixture
def meeting(demo_data):
    return Meeting.objects.with_programme().get(slug=MEETING_SLUG)


def test_demo_meeting_has_its_edition_dates_and_place(meeting):
    assert meeting.title == (
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    )
    assert meeting.edition == 10
    assert (meeting.start_date, meeting.end_date) == (
        datetime.date(2023, 5, 11),
        datetime.date(2023, 5, 12),
    )
    assert meeting.place == "Nijmegen, Netherlands"
    assert meeting.is_open
    assert meeting.series.parent_organisation.name == (
        "International Institute of Administrative Sciences"
    )
    assert "global intellectual platform" in meeting.description


def test_demo_meeting_announces_five_topics_in_order(meeting):
    assert [mt.topic.name for mt in meeting.meeting_topics.all()] == [
        "The challenges of coproduction for professionals",
        "The capacity and willingness of citizens to engage in coproduction",
        "The potential benefits and pitfalls of directly involving citizens in the production "
        "of public services",
        "The conditions for sustaining and scaling up co-creation and co-production initiatives",
        "Digital co-production",
    ]


def test_demo_paper_was_presented_by_three_authors_in_order(meeting):
    (presentation,) = meeting.presentations.all()
    assert presentation.paper.title == (
        "Sustainability and Co-creation in Public Sector Organisations: Practices, Outcomes, "
        "and Lessons Learned"
    )
    assert [
        (p.person.full_name, p.affiliation.short_name) for p in presentation.presenters.all()
    ] == [
        ("Noella Edelmann", "DUK"),
        ("Trui Steen", "KLU"),
        ("Charlotte van Dijk", "KLU"),
    ]
    assert [project.acronym for project in presentation.paper.projects.all()] == ["inGOV"]


def test_demo_committee_is_grouped_by_institution_as_the_report_lists_it(meeting):
    grouped = [
        (institution.name, [member.person.full_name for member in members])
        for institution, members in meeting.committee_by_institution()
    ]
    assert grouped == [
        ("KU Leuven", ["Trui Steen"]),
        ("Syracuse University", ["Tina Nabatchi"]),
        ("University of Stellenbosch", ["Dirk Brand"]),
        (
            "Radboud University Nijmegen",
            ["Taco Brandsen", "Noortje Hoevens", "Marlies Honingh", "Menno Hoppen", "Ina Radtke"],
        ),
    ]


def test_demo_meeting_is_supported_by_two_projects_and_acknowledges_ingov(meeting):
    assert [(s.project.acronym, s.get_kind_display()) for s in meeting.supports.all()] == [
        ("inGOV", "Organized and supported"),
        ("Interlink", "Organized and supported"),
    ]
    assert meeting.acknowledgment_sentences() == [
        "This meeting was supported by the project inGOV, which received funding from the "
        "European Union’s Horizon 2020 research and innovation programme under Grant Agreement "
        "962563."
    ]


def test_demo_paper_extends_the_2023_journal_article(demo_data):
    relation = WorkRelation.objects.select_related("source", "target").get()
    assert relation.kind == WorkRelation.Kind.EXTENDS
    assert relation.source.slug == "sustainability-and-co-creation-in-public-sector-organisations"
    article = relation.target
    assert (article.journal, article.volume, article.issue, article.pages, article.year) == (
        "Administrative Sciences",
        "13",
        "2",
        "43",
        2023,
    )
    assert article.doi == "10.3390/admsci13020043"
    assert [a.person.full_name for a in article.authorships.order_by("position")] == [
        "Noella Edelmann",
        "Shefali Virkar",
    ]


def test_demo_presenter_and_article_author_are_the_same_person(demo_data):
    assert Person.objects.filter(family_name="Edelmann").count() == 1
    noella = Person.objects.get(slug="noella-edelmann")
    assert Paper.objects.by_author(noella).count() == 2


def test_demo_institutions_carry_full_and_short_names(demo_data):
    duk = Institution.objects.get(short_name="DUK")
    assert duk.name == "University for Continuing Education Krems"
    assert "Danube University Krems" in duk.alternative_names
    assert Institution.objects.get(short_name="KLU").name == "KU Leuven"
    assert Institution.objects.get(short_name="Radboud").city == "Nijmegen"
    assert CommitteeMember.objects.count() == 8


def test_demo_fixture_loads_twice_without_duplicating_anything(demo_data):
    counts = (Person.objects.count(), Paper.objects.count(), CommitteeMember.objects.count())
    call_command("loaddata", "demo", verbosity=0)
    assert (
        Person.objects.count(),
        Paper.objects.count(),
        CommitteeMember.objects.count(),
    ) == counts
