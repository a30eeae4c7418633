import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from papers.models import Authorship, Discussant, Paper, Presenter, WorkRelation
from tests.factories.conference import MeetingFactory, SessionFactory
from tests.factories.papers import (
    AuthorshipFactory,
    DiscussantFactory,
    PaperFactory,
    PresentationFactory,
    PresenterFactory,
)
from tests.factories.people import PersonFactory


@pytest.mark.django_db
def test_duplicate_author_position_is_rejected_with_a_clear_message():
    first = AuthorshipFactory(position=1)
    duplicate = Authorship(paper=first.paper, person=PersonFactory(), position=1)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Two contributors of this work in the same role have the same position." in str(
        error.value
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert first.paper.authorships.count() == 1


@pytest.mark.django_db
def test_same_person_cannot_author_a_work_twice():
    first = AuthorshipFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorshipFactory(paper=first.paper, person=first.person, position=2)


@pytest.mark.django_db
def test_author_position_zero_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorshipFactory(position=0)


@pytest.mark.django_db
def test_presenter_carries_the_authors_affiliation():
    presenter = PresenterFactory()
    assert presenter.person == presenter.authorship.person
    assert presenter.affiliation == presenter.authorship.affiliation


@pytest.mark.django_db
def test_doi_is_normalised_and_validated():
    paper = PaperFactory(doi="https://doi.org/10.3390/ADMSCI13020043")
    assert paper.doi == "10.3390/admsci13020043"
    assert paper.doi_url == "https://doi.org/10.3390/admsci13020043"
    bad = PaperFactory.build(doi="not-a-doi")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "doi" in error.value.message_dict


@pytest.mark.django_db
def test_year_is_taken_from_publication_date_when_missing():
    import datetime

    paper = PaperFactory(year=None, publication_date=datetime.date(2023, 2, 5))
    assert paper.year == 2023


@pytest.mark.django_db
def test_implausible_year_is_rejected_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperFactory(year=99)


@pytest.mark.django_db
def test_work_cannot_extend_itself():
    paper = PaperFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkRelation.objects.create(source=paper, target=paper, kind="extends")


@pytest.mark.django_db
def test_person_who_authored_a_work_cannot_be_deleted():
    authorship = AuthorshipFactory()
    with pytest.raises(ProtectedError):
        authorship.person.delete()
    assert Authorship.objects.filter(pk=authorship.pk).exists()


@pytest.mark.django_db
def test_presented_work_cannot_be_deleted():
    presentation = PresentationFactory()
    with pytest.raises(ProtectedError):
        presentation.paper.delete()
    assert Paper.objects.filter(pk=presentation.paper.pk).exists()


@pytest.mark.django_db
def test_extended_work_cannot_be_deleted():
    relation = WorkRelation.objects.create(
        source=PaperFactory(), target=PaperFactory(), kind="extends"
    )
    with pytest.raises(ProtectedError):
        relation.target.delete()


@pytest.fixture
def timed_session():
    return SessionFactory(start_time=datetime.time(9), end_time=datetime.time(10, 30))


def talk_in(session, **times):
    return PresentationFactory.build(
        meeting=session.meeting, paper=PaperFactory(), session=session, **times
    )


@pytest.mark.django_db
def test_talk_times_must_lie_within_the_sessions(timed_session):
    talk = talk_in(timed_session, start_time=datetime.time(8, 45), end_time=datetime.time(11))

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    span = "(09:00–10:30): a talk's times are within its session's."
    assert error.value.message_dict == {
        "start_time": [f"08:45 is outside the session “{timed_session}” {span}"],
        "end_time": [f"11:00 is outside the session “{timed_session}” {span}"],
    }


@pytest.mark.django_db
def test_talk_must_end_after_it_starts(timed_session):
    talk = talk_in(timed_session, start_time=datetime.time(10), end_time=datetime.time(9, 30))

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict["end_time"] == [
        "The talk ends after it starts: 09:30 is not after 10:00."
    ]


@pytest.mark.django_db
def test_an_unscheduled_talk_has_no_time():
    talk = PresentationFactory.build(
        meeting=MeetingFactory(), paper=PaperFactory(), start_time=datetime.time(9)
    )

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict["start_time"] == [
        "Only a talk in a session has a time: choose its session."
    ]


@pytest.mark.django_db
def test_talk_session_must_be_of_its_meeting():
    talk = PresentationFactory.build(
        meeting=MeetingFactory(), paper=PaperFactory(), session=SessionFactory(title="Elsewhere")
    )

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict == {"session": ["“Elsewhere” is a session of another meeting."]}


@pytest.mark.django_db
def test_talk_positions_are_unique_in_their_session_and_among_unscheduled_talks():
    session = SessionFactory()
    meeting = session.meeting
    PresentationFactory(meeting=meeting, session=session, position=1)
    PresentationFactory(meeting=meeting, session=None, position=1)
    in_session = talk_in(session, position=1)
    unscheduled = PresentationFactory.build(meeting=meeting, paper=PaperFactory(), position=1)
    elsewhere = talk_in(SessionFactory(meeting=meeting), position=1)

    with pytest.raises(ValidationError) as error:
        in_session.full_clean()
    assert error.value.message_dict["__all__"] == [
        "Two talks of this session have the same position: give each its own."
    ]
    with pytest.raises(ValidationError) as error:
        unscheduled.full_clean()
    assert error.value.message_dict["__all__"] == [
        "Two unscheduled talks of this meeting have the same position: give each its own."
    ]
    elsewhere.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        in_session.save()


@pytest.mark.django_db
def test_session_with_talks_cannot_be_deleted():
    session = SessionFactory()
    PresentationFactory(meeting=session.meeting, session=session)

    with pytest.raises(ProtectedError):
        session.delete()


@pytest.mark.django_db
def test_presenter_positions_are_unique_per_talk():
    first = PresenterFactory(position=1)
    second = Presenter(
        presentation=first.presentation,
        authorship=AuthorshipFactory(paper=first.presentation.paper),
        position=1,
    )

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert error.value.message_dict["__all__"] == [
        "Two presenters of this talk have the same position: give each its own."
    ]


@pytest.mark.django_db
def test_discussants_are_listed_once_in_unique_positions():
    first = DiscussantFactory(position=1)
    same_person = Discussant(presentation=first.presentation, person=first.person, position=2)
    same_position = Discussant(presentation=first.presentation, person=PersonFactory(), position=1)

    with pytest.raises(ValidationError) as error:
        same_person.full_clean()
    assert error.value.message_dict["__all__"] == ["This person already discusses this talk."]
    with pytest.raises(ValidationError) as error:
        same_position.full_clean()
    assert error.value.message_dict["__all__"] == [
        "Two discussants of this talk have the same position: give each its own."
    ]
