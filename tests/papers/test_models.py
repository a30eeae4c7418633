import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from papers.models import Authorship, Paper, Presenter, WorkRelation
from tests.factories.papers import (
    AuthorshipFactory,
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
def test_presenter_who_is_not_an_author_is_rejected():
    presentation = PresentationFactory()
    author_of_another_work = AuthorshipFactory()
    presenter = Presenter(presentation=presentation, authorship=author_of_another_work, position=1)
    with pytest.raises(ValidationError) as error:
        presenter.full_clean()
    assert error.value.message_dict["authorship"] == [
        "A presenter must be one of the authors of the presented work."
    ]


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
