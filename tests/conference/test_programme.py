"""The meeting page's programme, read as plain rows (conference/programme.py): it must show
exactly what the model-based author lists show elsewhere on the site."""

import pytest

from conference.core.templatetags.archive import author_list
from conference.meetings.programme import Programme
from papers.models import Presenter
from tests.factories.conference import MeetingFactory
from tests.factories.papers import (
    AuthorshipFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
)
from tests.factories.people import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory()


def present(meeting, paper, *authorships, position, session=""):
    presentation = PresentationFactory(
        meeting=meeting, paper=paper, position=position, session=session
    )
    for index, authorship in enumerate(authorships, start=1):
        PresenterFactory(presentation=presentation, authorship=authorship, position=index)
    return presentation


def test_entries_follow_programme_positions_with_sessions_and_presenters_in_order(meeting):
    krems = InstitutionFactory(name="University for Continuing Education Krems", short_name="DUK")
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU")
    later = PaperFactory(title="Digital co-production")
    first = PaperFactory(title="Sustainability and Co-creation")
    noella = AuthorshipFactory(
        paper=first,
        position=1,
        person=PersonFactory(given_name="Noella", family_name="Edelmann"),
        affiliation=krems,
    )
    trui = AuthorshipFactory(
        paper=first,
        position=2,
        person=PersonFactory(given_name="Trui", family_name="Steen"),
        affiliation=leuven,
    )
    present(meeting, later, AuthorshipFactory(paper=later), position=2)
    present(meeting, first, trui, noella, position=1, session="Session 1")
    present(MeetingFactory(), PaperFactory(title="Elsewhere"), position=1)

    programme = Programme.of(meeting)

    assert [entry.paper.title for entry in programme] == [
        "Sustainability and Co-creation",
        "Digital co-production",
    ]
    entry = programme.entries[0]
    assert entry.session == "Session 1"
    assert entry.paper.get_absolute_url() == first.get_absolute_url()
    assert [presenter.person.full_name for presenter in entry.presenters] == [
        "Trui Steen",
        "Noella Edelmann",
    ]
    assert entry.presenters[1].person.get_absolute_url() == noella.person.get_absolute_url()
    assert entry.presenters[1].affiliation.get_absolute_url() == krems.get_absolute_url()
    assert programme.entries[1].session == ""


def test_presenters_read_as_the_model_based_author_list_shows_them(meeting):
    """Diacritics, markup, an institution without a short name, an author without one."""
    paper = PaperFactory(title="Co-creation <script>alert(1)</script> & more")
    authorships = [
        AuthorshipFactory(
            paper=paper,
            position=1,
            person=PersonFactory(given_name="Ayşe", family_name="Şahin <b>"),
            affiliation=InstitutionFactory(name="Université de Liège", short_name="ULi\"ège'"),
        ),
        AuthorshipFactory(
            paper=paper,
            position=2,
            person=PersonFactory(given_name="", family_name="Tóth"),
            affiliation=InstitutionFactory(name="Radboud University", short_name=""),
        ),
        AuthorshipFactory(paper=paper, position=3, affiliation=None),
    ]
    presentation = present(meeting, paper, *authorships, position=1)
    presenters = Presenter.objects.filter(presentation=presentation).with_people()

    [entry] = Programme.of(meeting)

    assert author_list(entry.presenters) == author_list(presenters)
    assert "Şahin &lt;b&gt;" in author_list(entry.presenters)


def test_institutions_are_listed_once_by_abbreviation_with_their_country(meeting):
    leuven = InstitutionFactory(name="KU Leuven", short_name="KLU", country="BE")
    krems = InstitutionFactory(name="Donau-Universität Krems", short_name="DUK", country="AT")
    unplaced = InstitutionFactory(name="Aalborg Academy", short_name="", country="")
    for position, institution in enumerate([leuven, krems, leuven, unplaced], start=1):
        paper = PaperFactory()
        present(
            meeting,
            paper,
            AuthorshipFactory(paper=paper, affiliation=institution),
            position=position,
        )

    institutions = Programme.of(meeting).institutions

    assert [(i.display_short_name, i.name, i.country_name) for i in institutions] == [
        ("Aalborg Academy", "Aalborg Academy", ""),
        ("DUK", "Donau-Universität Krems", "Austria"),
        ("KLU", "KU Leuven", "Belgium"),
    ]


def test_programme_is_read_in_two_queries_whatever_its_size(meeting, django_assert_num_queries):
    for position in range(1, 21):
        paper = PaperFactory()
        present(
            meeting,
            paper,
            *(AuthorshipFactory(paper=paper, position=n) for n in range(1, 4)),
            position=position,
        )

    with django_assert_num_queries(2):
        programme = Programme.of(meeting)
        assert len(programme) == 20
        assert len(programme.institutions) == 60


def test_a_meeting_without_programme_has_an_empty_one(meeting):
    programme = Programme.of(meeting)

    assert not programme
    assert programme.institutions == []
