"""The public side of merges and dated names: old addresses, names as printed and as then."""

from conference.site.search import search_site
from people.models import Institution, Person
from people.services import merge_records, revert_merge
from tests.factories.papers import AuthorshipFactory, PaperFactory
from tests.factories.people import InstitutionFactory, InstitutionNameFactory, PersonFactory
from tests.pages import visible_text


def test_old_person_address_redirects_permanently_to_the_survivor(steen_twins, client):
    merge_records(survivor=steen_twins["trui"], merged=steen_twins["initials"])

    response = client.get("/people/t-steen/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/people/trui-steen/?page=2"
    assert client.get("/people/nobody/").status_code == 404


def test_old_address_follows_a_chain_of_merges_and_stops_after_a_revert(db, client):
    first, second, third = (
        PersonFactory(given_name="Trui", family_name=name) for name in ("Steen", "Sten", "Stein")
    )
    merge_records(survivor=second, merged=first)
    last = merge_records(survivor=third, merged=second)

    assert client.get("/people/trui-steen/")["Location"] == "/people/trui-stein/"
    revert_merge(merge=last)
    assert client.get("/people/trui-steen/")["Location"] == "/people/trui-sten/"


def test_old_institution_address_redirects(db, client):
    klu = InstitutionFactory(name="KU Leuven", short_name="KLU")
    old = InstitutionFactory(name="Katholieke Universiteit Leuven", short_name="KUL")
    merge_records(survivor=klu, merged=old)

    response = client.get("/institutions/kul/")

    assert (response.status_code, response["Location"]) == (301, "/institutions/klu/")


def test_person_page_shows_other_names(db, client):
    person = PersonFactory(given_name="Trui", family_name="Steen", other_names="T. Steen\nG. Steen")

    text = visible_text(client.get(person.get_absolute_url()))

    assert "Also recorded as T. Steen; G. Steen" in text


def test_work_page_shows_the_printed_name_and_the_institution_as_named_then(db, client):
    krems = InstitutionFactory(name="University for Continuing Education Krems", short_name="DUK")
    InstitutionNameFactory(institution=krems, name="Danube University Krems", end_year=2022)
    paper = PaperFactory(year=2019)
    person = PersonFactory(given_name="Noella", family_name="Edelmann")
    AuthorshipFactory(paper=paper, person=person, affiliation=krems, printed_name="N. Edelmann")

    response = client.get(paper.get_absolute_url())
    text = visible_text(response)

    assert "N. Edelmann" in text
    assert "Danube University Krems, now University for Continuing Education Krems (DUK)" in text
    assert '<meta name="citation_author" content="Edelmann, N.">' in response.content.decode()


def test_demo_duk_shows_both_names_and_is_found_by_either(demo_data, client):
    text = visible_text(client.get("/institutions/duk/"))

    assert "University for Continuing Education Krems" in text
    assert "Former name Danube University Krems" in text
    for query in ("Danube University Krems", "University for Continuing Education Krems"):
        found = search_site(query, kind="institutions").group("institutions").results
        assert [institution.slug for institution in found] == ["duk"], query
    duk = Institution.objects.with_names().get(slug="duk")
    assert duk.alternative_names == [
        "Universität für Weiterbildung Krems",
        "Danube University Krems",
    ]


def test_person_found_in_site_search_by_another_name(db):
    trui = PersonFactory(given_name="Trui", family_name="Steen", other_names="Geertrui Steen")

    found = search_site("Geertrui", kind="people").group("people").results

    assert found == [trui]
    assert Person.objects.count() == 1
