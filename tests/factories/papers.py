import factory

from papers.models import Authorship, Discussant, Paper, Presentation, Presenter, WorkRelation
from tests.factories.conference import MeetingFactory
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.factories.positions import next_position


def talk_position(talk):
    """The next position in the talk's session, or among its meeting's unscheduled talks."""
    if talk.session is not None:
        return next_position(Presentation, session=talk.session)
    return next_position(Presentation, meeting=talk.meeting, session=None)


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    title = factory.Sequence(lambda n: f"Co-creation in public services, part {n}")
    abstract = "How citizens and professionals produce public services together."
    year = 2023


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    paper = factory.SubFactory(PaperFactory)
    person = factory.SubFactory(PersonFactory)
    affiliation = factory.SubFactory(InstitutionFactory)
    position = factory.Sequence(lambda n: n + 1)


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presentation

    meeting = factory.SubFactory(MeetingFactory)
    paper = factory.SubFactory(PaperFactory)
    session = None
    position = factory.LazyAttribute(talk_position)


class PresenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presenter

    presentation = factory.SubFactory(PresentationFactory)
    authorship = factory.SubFactory(
        AuthorshipFactory, paper=factory.SelfAttribute("..presentation.paper")
    )
    position = factory.LazyAttribute(
        lambda row: next_position(Presenter, presentation=row.presentation)
    )


class DiscussantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discussant

    presentation = factory.SubFactory(PresentationFactory)
    person = factory.SubFactory(PersonFactory)
    affiliation = factory.SubFactory(InstitutionFactory)
    position = factory.LazyAttribute(
        lambda row: next_position(Discussant, presentation=row.presentation)
    )


class WorkRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkRelation

    source = factory.SubFactory(PaperFactory)
    target = factory.SubFactory(PaperFactory)
    kind = WorkRelation.Kind.EXTENDS


def create_programme(meeting, *, papers, authors_per_paper, institutions=None):
    """``papers`` presented works, each with ``authors_per_paper`` authors who all present.

    Used by the query-count tests: a big programme must cost as many queries as a small one.
    """
    institutions = institutions or InstitutionFactory.create_batch(3)
    presentations = []
    for index in range(papers):
        paper = PaperFactory()
        presentation = PresentationFactory(meeting=meeting, paper=paper, position=index + 1)
        for position in range(1, authors_per_paper + 1):
            authorship = AuthorshipFactory(
                paper=paper,
                position=position,
                affiliation=institutions[position % len(institutions)],
            )
            PresenterFactory(presentation=presentation, authorship=authorship, position=position)
        presentations.append(presentation)
    return presentations
