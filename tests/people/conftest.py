import pytest

from tests.factories.conference import CommitteeMemberFactory, MeetingFactory
from tests.factories.papers import AuthorshipFactory, PresentationFactory, PresenterFactory
from tests.factories.people import AffiliationFactory, InstitutionFactory, PersonFactory


@pytest.fixture
def steen_twins(db):
    """What an import leaves behind: "Trui Steen" as recorded, and "T. Steen" created by the
    import for her article, with a presentation, a committee seat and an affiliation."""
    klu = InstitutionFactory(name="KU Leuven", short_name="KLU")
    trui = PersonFactory(given_name="Trui", family_name="Steen")
    initials = PersonFactory(given_name="T.", family_name="Steen", website="https://steen.example")
    AffiliationFactory(person=trui, institution=klu, start_year=2015)
    own = AuthorshipFactory(person=trui, affiliation=klu, position=1)
    imported = AuthorshipFactory(person=initials, affiliation=klu, position=1)
    presentation = PresentationFactory(paper=imported.paper)
    PresenterFactory(presentation=presentation, authorship=imported)
    seat = CommitteeMemberFactory(person=initials, meeting=MeetingFactory())
    return {
        "trui": trui,
        "initials": initials,
        "own": own,
        "imported": imported,
        "seat": seat,
        "klu": klu,
    }
