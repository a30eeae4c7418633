import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Affiliation, Institution, InstitutionName, Person
from tests.factories.people import InstitutionFactory, PersonFactory


@pytest.mark.django_db
def test_person_with_bad_orcid_checksum_is_rejected_by_full_clean():
    person = Person(given_name="Noella", family_name="Edelmann", orcid="0000-0002-1825-0098")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "check digit does not match" in error.value.message_dict["orcid"][0]


@pytest.mark.django_db
def test_person_orcid_url_is_stored_as_bare_id():
    person = PersonFactory(orcid="https://orcid.org/0000-0002-1825-0097")
    person.refresh_from_db()
    assert person.orcid == "0000-0002-1825-0097"
    assert person.orcid_url == "https://orcid.org/0000-0002-1825-0097"


@pytest.mark.django_db
def test_two_people_cannot_share_an_orcid():
    PersonFactory(orcid="0000-0002-1825-0097")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(orcid="0000-0002-1825-0097")


@pytest.mark.django_db
def test_people_without_orcid_are_allowed_side_by_side():
    PersonFactory(orcid="")
    PersonFactory(orcid="")
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_person_names_are_unicode_normalised_so_accents_match():
    decomposed = PersonFactory(given_name="Zoe\u0308", family_name="Mu\u0308ller")
    assert decomposed.given_name == "Zoë"
    assert decomposed.family_name == "Müller"
    assert Person.objects.filter(family_name="Müller").count() == 1


@pytest.mark.django_db
def test_person_slug_is_made_from_the_name_and_kept_unique():
    first = PersonFactory(given_name="Charlotte", family_name="van Dijk")
    second = PersonFactory(given_name="Charlotte", family_name="van Dijk")
    assert first.slug == "charlotte-van-dijk"
    assert second.slug == "charlotte-van-dijk-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given_name", "family_name", "slug"),
    [
        ("Øystein", "Tromsø", "oystein-tromso"),
        ("Łucja", "Straße", "lucja-strasse"),
        ("Михаил", "Иванов", "mikhail-ivanov"),
        ("", "李娜", "lina"),
    ],
)
def test_person_slug_transliterates_letters_that_have_no_accent_to_strip(
    given_name, family_name, slug
):
    assert PersonFactory(given_name=given_name, family_name=family_name).slug == slug


@pytest.mark.django_db
def test_control_characters_are_removed_from_names():
    person = PersonFactory(given_name="Tr\x00ui\x07", family_name="  Steen\n")
    assert person.given_name == "Trui"
    assert person.family_name == "Steen"


@pytest.mark.django_db
def test_institution_with_bad_ror_is_rejected_by_full_clean():
    institution = InstitutionFactory.build(ror_id="016xsfp81")
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "ror_id" in error.value.message_dict


@pytest.mark.django_db
def test_institution_slug_comes_from_its_short_name_and_str_shows_both_names():
    institution = InstitutionFactory(name="KU Leuven", short_name="KLU")
    assert institution.slug == "klu"
    assert str(institution) == "KU Leuven (KLU)"


@pytest.mark.django_db
def test_affiliation_cannot_end_before_it_starts():
    affiliation = Affiliation(
        person=PersonFactory(), institution=InstitutionFactory(), start_year=2022, end_year=2020
    )
    with pytest.raises(ValidationError) as error:
        affiliation.full_clean()
    assert "The end year cannot be before the start year." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        affiliation.save()


@pytest.mark.django_db
def test_institution_referenced_by_an_affiliation_cannot_be_deleted():
    from django.db.models import ProtectedError

    affiliation = Affiliation.objects.create(
        person=PersonFactory(), institution=InstitutionFactory(), start_year=2020
    )
    with pytest.raises(ProtectedError):
        affiliation.institution.delete()
    assert Affiliation.objects.filter(pk=affiliation.pk).exists()


@pytest.mark.django_db
def test_find_match_uses_other_names_and_orcid_first():
    trui = PersonFactory(given_name="Trui", family_name="Steen", other_names="Geertrui Steen")
    orcid = PersonFactory(given_name="Tom", family_name="Other", orcid="0000-0002-1825-0097")

    assert Person.objects.find_match(given_name="Geertrui", family_name="Steen") == (
        trui,
        "name",
    )
    assert Person.objects.find_match(
        given_name="Trui", family_name="Steen", orcid="https://orcid.org/0000-0002-1825-0097"
    ) == (orcid, "ORCID")


@pytest.mark.django_db
def test_find_match_never_takes_a_person_with_another_orcid_by_name():
    PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0001-5109-3700")

    assert Person.objects.find_match(
        given_name="Anna", family_name="Berg", orcid="0000-0002-1825-0097"
    ) == (None, "")


@pytest.mark.django_db
def test_person_search_finds_other_names():
    trui = PersonFactory(given_name="Trui", family_name="Steen", other_names="Geertrui Stén")

    assert list(Person.objects.search("geertrui sten")) == [trui]


@pytest.mark.django_db
def test_institution_name_in_a_year_is_the_dated_name_then():
    krems = InstitutionFactory(name="University for Continuing Education Krems")
    krems.names.create(name="Danube University Krems", kind="former", end_year=2022)
    krems.names.create(name="DUK", kind="acronym")

    institution = Institution.objects.with_names().get(pk=krems.pk)
    assert institution.name_in(2019) == "Danube University Krems"
    assert institution.name_in(2023) == "University for Continuing Education Krems"
    assert institution.name_in(None) == "University for Continuing Education Krems"


@pytest.mark.django_db
def test_former_name_without_years_is_never_taken_for_a_date():
    krems = InstitutionFactory(name="University for Continuing Education Krems")
    krems.names.create(name="Danube University Krems", kind="former")

    assert krems.name_in(2019) == "University for Continuing Education Krems"


@pytest.mark.django_db
def test_institution_search_finds_any_name_once(django_assert_num_queries):
    krems = InstitutionFactory(name="University for Continuing Education Krems")
    krems.names.create(name="Danube University Krems", kind="former")
    krems.names.create(name="Donau Universitat", kind="translation", language="de")
    InstitutionFactory(name="KU Leuven")

    assert list(Institution.objects.search("danube krems")) == [krems]
    assert list(Institution.objects.search("university krems")) == [krems]
    assert list(Institution.objects.search("Donau")) == [krems]


@pytest.mark.django_db
def test_institution_name_cannot_end_before_it_starts():
    name = InstitutionName(
        institution=InstitutionFactory(), name="Old", kind="former", start_year=2010, end_year=2001
    )
    with pytest.raises(ValidationError) as error:
        name.full_clean()
    assert error.value.messages == ["The end year cannot be before the start year."]


@pytest.mark.django_db
def test_institution_display_name_names_a_short_name_only_when_it_differs():
    assert InstitutionFactory(name="KU Leuven", short_name="KLU").display_name == "KU Leuven (KLU)"
    assert InstitutionFactory(name="Radboud", short_name="Radboud").display_name == "Radboud"
    assert InstitutionFactory(name="Tilburg University", short_name="").display_name == (
        "Tilburg University"
    )
