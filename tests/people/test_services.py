import pytest
from django.core.exceptions import ValidationError

from conference.meetings.models import CommitteeMember, SessionChair
from papers.models import Authorship, Discussant, Presenter
from people.models import (
    Affiliation,
    Institution,
    InstitutionName,
    NotDuplicate,
    Person,
    RecordMerge,
)
from people.services import (
    SameNameExists,
    create_person,
    mark_not_duplicate,
    merge_records,
    revert_merge,
    split_record,
)
from tests.factories.conference import SessionChairFactory
from tests.factories.papers import AuthorshipFactory, DiscussantFactory
from tests.factories.people import InstitutionFactory, PersonFactory


def test_merge_moves_every_record_to_the_survivor(steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]

    merge = merge_records(survivor=trui, merged=initials, keep={"website": "merged"})

    assert not Person.objects.filter(pk=initials.pk).exists()
    assert set(Authorship.objects.filter(person=trui).values_list("pk", flat=True)) == {
        steen_twins["own"].pk,
        steen_twins["imported"].pk,
    }
    assert Presenter.objects.get().authorship.person == trui
    assert CommitteeMember.objects.get(pk=steen_twins["seat"].pk).person == trui
    trui.refresh_from_db()
    assert trui.website == "https://steen.example"
    assert trui.name_variants == ["T. Steen"]
    assert str(merge) == "T. Steen merged into Trui Steen"


def test_merge_is_one_entry_in_the_survivors_history(steen_twins):
    trui = steen_twins["trui"]
    before = trui.history.count()

    merge_records(survivor=trui, merged=steen_twins["initials"])

    assert trui.history.count() == before + 1
    assert trui.history.first().history_change_reason == "Merged with “T. Steen” (t-steen)"


def test_revert_restores_both_people_and_their_records(steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    merge = merge_records(survivor=trui, merged=initials, keep={"website": "merged"})

    restored = revert_merge(merge=merge)

    assert (restored.pk, restored.slug, restored.full_name) == (initials.pk, "t-steen", "T. Steen")
    assert restored.website == "https://steen.example"
    trui.refresh_from_db()
    assert (trui.website, trui.other_names) == ("", "")
    assert Authorship.objects.get(pk=steen_twins["imported"].pk).person == restored
    assert Authorship.objects.get(pk=steen_twins["own"].pk).person == trui
    assert CommitteeMember.objects.get(pk=steen_twins["seat"].pk).person == restored
    merge.refresh_from_db()
    assert merge.reverted_at is not None
    with pytest.raises(ValidationError, match="already reverted"):
        revert_merge(merge=merge)


def test_merge_refuses_two_orcid_ids_and_changes_nothing(db):
    first = PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0002-1825-0097")
    second = PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0001-5109-3700")
    AuthorshipFactory(person=second)

    with pytest.raises(ValidationError, match="different ORCID iDs"):
        merge_records(survivor=first, merged=second)

    assert Person.objects.count() == 2
    assert Authorship.objects.get().person == second
    assert not RecordMerge.objects.exists()


def test_merge_refuses_two_authorships_of_one_work_and_names_it(steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    twice = AuthorshipFactory(person=initials, paper=steen_twins["own"].paper, position=2)

    with pytest.raises(ValidationError, match="both are linked by the authorship"):
        merge_records(survivor=trui, merged=initials)

    assert Authorship.objects.get(pk=twice.pk).person == initials
    assert Person.objects.filter(pk=initials.pk).exists()


def test_merge_takes_a_unique_value_from_the_merged_person(db):
    survivor = PersonFactory(given_name="Trui", family_name="Steen")
    merged = PersonFactory(given_name="T.", family_name="Steen", orcid="0000-0002-1825-0097")

    merge = merge_records(survivor=survivor, merged=merged, keep={"orcid": "merged"})

    survivor.refresh_from_db()
    assert survivor.orcid == "0000-0002-1825-0097"
    revert_merge(merge=merge)
    assert Person.objects.get(pk=merged.pk).orcid == "0000-0002-1825-0097"
    assert Person.objects.get(pk=survivor.pk).orcid == ""


def test_merge_refuses_a_value_that_is_not_chosen_between(steen_twins):
    with pytest.raises(ValidationError, match="slug"):
        merge_records(
            survivor=steen_twins["trui"], merged=steen_twins["initials"], keep={"slug": "merged"}
        )


def test_split_moves_the_chosen_authorships_to_a_new_person(steen_twins):
    trui = steen_twins["trui"]
    merge_records(survivor=trui, merged=steen_twins["initials"])

    other = split_record(
        record=trui,
        moves={"authorships": [steen_twins["imported"].pk]},
        values={"given_name": "Tom", "family_name": "Steen"},
    )

    assert other.full_name == "Tom Steen"
    assert list(other.authorships.all()) == [steen_twins["imported"]]
    assert list(trui.authorships.all()) == [steen_twins["own"]]
    assert other.history.first().history_change_reason == "Split from “Trui Steen” (trui-steen)"


def test_split_refuses_rows_of_another_person(steen_twins):
    stranger = AuthorshipFactory()

    with pytest.raises(ValidationError, match="Not all of these belong"):
        split_record(
            record=steen_twins["trui"],
            moves={"authorships": [stranger.pk]},
            values={"given_name": "Tom", "family_name": "Steen"},
        )

    assert not Person.objects.filter(given_name="Tom").exists()


def test_institution_merge_moves_affiliations_names_and_links_and_reverts(steen_twins):
    klu = steen_twins["klu"]
    old = InstitutionFactory(name="Katholieke Universiteit Leuven", short_name="")
    old.names.create(name="KUL", kind=InstitutionName.Kind.ACRONYM)
    faculty = InstitutionFactory(name="Faculty of Social Sciences", parent=old)
    affiliation = Affiliation.objects.create(person=steen_twins["initials"], institution=old)
    authorship = AuthorshipFactory(affiliation=old)

    merge = merge_records(survivor=klu, merged=old)

    assert Affiliation.objects.get(pk=affiliation.pk).institution == klu
    assert Authorship.objects.get(pk=authorship.pk).affiliation == klu
    assert Institution.objects.get(pk=faculty.pk).parent == klu
    assert klu.alternative_names == ["KUL", "Katholieke Universiteit Leuven"]

    revert_merge(merge=merge)
    assert Affiliation.objects.get(pk=affiliation.pk).institution_id == old.pk
    assert Institution.objects.get(pk=faculty.pk).parent_id == old.pk
    assert list(Institution.objects.get(pk=old.pk).names.values_list("name", flat=True)) == ["KUL"]


def test_create_person_refuses_an_exact_name_already_recorded(db):
    trui = PersonFactory(given_name="Trui", family_name="Steen")

    with pytest.raises(SameNameExists) as refused:
        create_person(given_name="trui", family_name="STEEN")

    assert refused.value.existing == trui
    homonym = create_person(given_name="Trui", family_name="Steen", same_name_confirmed=True)
    assert homonym.slug == "trui-steen-2"
    with_orcid = create_person(given_name="Trui", family_name="Steen", orcid="0000-0002-1825-0097")
    assert Person.objects.count() == 3
    assert with_orcid.orcid == "0000-0002-1825-0097"


def test_merge_moves_session_chairs_and_discussants_and_revert_brings_them_back(steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    chair = SessionChairFactory(person=initials, printed_name="T. Steen")
    discussant = DiscussantFactory(person=initials)

    merge = merge_records(survivor=trui, merged=initials)

    assert SessionChair.objects.get(pk=chair.pk).person == trui
    assert SessionChair.objects.get(pk=chair.pk).display_name == "T. Steen"
    assert Discussant.objects.get(pk=discussant.pk).person == trui
    assert merge.moved["conference.sessionchair.person"] == [chair.pk]
    revert_merge(merge=merge)
    assert SessionChair.objects.get(pk=chair.pk).person_id == initials.pk
    assert Discussant.objects.get(pk=discussant.pk).person_id == initials.pk


def test_not_same_marks_of_the_merged_person_hold_for_the_survivor_and_come_back_on_revert(
    steen_twins,
):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    tina = PersonFactory(given_name="Tina", family_name="Steen")
    taco = PersonFactory(given_name="Taco", family_name="Steen")
    mark_not_duplicate(first=initials, second=tina)
    mark_not_duplicate(first=initials, second=trui)  # overruled by the merge
    mark_not_duplicate(first=trui, second=taco)

    def marks():
        return {frozenset(pair) for pair in NotDuplicate.objects.values_list("first", "second")}

    before = marks()
    merge = merge_records(survivor=trui, merged=initials)

    assert marks() == {frozenset({trui.pk, tina.pk}), frozenset({trui.pk, taco.pk})}

    revert_merge(merge=merge)

    assert marks() == before
