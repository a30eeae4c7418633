"""Organizers merge, split and review duplicates in the admin; a merge is reverted there."""

from papers.models import Authorship
from people.models import NotDuplicate, Person, RecordMerge
from tests.pages import visible_text


def test_merge_action_leads_to_the_merge_form(staff_client, steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]

    response = staff_client.post(
        "/admin/people/person/",
        {"action": "merge_selected", "_selected_action": [trui.pk, initials.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/people/person/merge/?ids={trui.pk},{initials.pk}"


def test_merge_form_shows_what_moves_and_merges_with_the_chosen_values(staff_client, steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    url = f"/admin/people/person/merge/?ids={trui.pk},{initials.pk}"

    text = visible_text(staff_client.get(url))
    assert "T. Steen (t-steen) 1 organizing committee members, 1 authorships" in text
    assert "Website (empty) https://steen.example" in text

    response = staff_client.post(
        url, {"survivor": "first", "keep_given_name": "first", "keep_website": "second"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/people/person/{trui.pk}/change/"
    trui.refresh_from_db()
    assert (trui.given_name, trui.website) == ("Trui", "https://steen.example")
    assert Authorship.objects.filter(person=trui).count() == 2
    assert not Person.objects.filter(pk=initials.pk).exists()


def test_merge_form_refusal_is_shown_and_changes_nothing(staff_client, steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    steen_twins["imported"].paper.authorships.create(person=trui, position=2)
    url = f"/admin/people/person/merge/?ids={trui.pk},{initials.pk}"

    response = staff_client.post(
        url, {"survivor": "first", "keep_given_name": "first", "keep_website": "first"}
    )

    assert response.status_code == 200
    assert "Cannot merge yet: both are linked by the authorship" in visible_text(response)
    assert Person.objects.filter(pk=initials.pk).exists()


def test_revert_action_restores_the_merged_person(staff_client, steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]
    staff_client.post(
        f"/admin/people/person/merge/?ids={trui.pk},{initials.pk}",
        {"survivor": "first", "keep_given_name": "first", "keep_website": "first"},
    )
    merge = RecordMerge.objects.get()

    response = staff_client.post(
        "/admin/people/recordmerge/",
        {"action": "revert_selected", "_selected_action": [merge.pk]},
        follow=True,
    )

    assert "Reverted: T. Steen is back." in visible_text(response)
    assert Authorship.objects.get(pk=steen_twins["imported"].pk).person_id == initials.pk


def test_duplicates_page_lists_pairs_and_remembers_not_the_same(staff_client, steen_twins):
    trui, initials = steen_twins["trui"], steen_twins["initials"]

    text = visible_text(staff_client.get("/admin/people/person/duplicates/"))
    assert "Trui Steen T. Steen Same family name, compatible given names" in text

    response = staff_client.post(
        "/admin/people/person/duplicates/",
        {"first": initials.pk, "second": trui.pk},
        follow=True,
    )

    assert "Noted: " in visible_text(response)
    assert "No possible duplicates." in visible_text(response)
    assert NotDuplicate.objects.get().first_id == min(trui.pk, initials.pk)


def test_split_page_moves_the_ticked_authorships(staff_client, steen_twins):
    trui = steen_twins["trui"]
    own = steen_twins["own"]

    response = staff_client.post(
        f"/admin/people/person/{trui.pk}/split/",
        {"given_name": "Tom", "family_name": "Steen", "orcid": "", "authorships": [own.pk]},
    )

    assert response.status_code == 302
    tom = Person.objects.get(given_name="Tom")
    assert list(tom.authorships.all()) == [own]
    assert not trui.authorships.exists()
