"""Paging through a list returns every record once, even when records tie on the ordering."""

import pytest

from papers.models import Paper
from people.models import Person
from tests.factories.papers import PaperFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def all_pages(client, path):
    ids, url = [], path
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        ids.extend(record["id"] for record in response.json()["results"])
        url = response.json()["next"]
    return ids


@pytest.mark.parametrize("ordering", ["", "&ordering=year", "&ordering=-title"])
def test_works_that_tie_on_the_ordering_appear_once_each_in_id_order(api_client, ordering):
    works = [PaperFactory(title="Co-production", year=2023) for _ in range(12)]
    # Rewritten rows move within the table (PostgreSQL), so the order they are read in is
    # no longer the order of their ids: only an explicit tie-breaker keeps pages stable.
    for work in works[::2]:
        Paper.objects.filter(pk=work.pk).update(journal="Public Management Review")

    ids = all_pages(api_client, f"/api/papers/?page_size=5{ordering}")

    assert ids == sorted(work.pk for work in works)


def test_people_of_the_same_name_appear_once_each(api_client):
    people = [PersonFactory(given_name="Maria", family_name="García") for _ in range(7)]
    Person.objects.filter(pk=people[0].pk).update(orcid="")

    assert all_pages(api_client, "/api/people/?page_size=3") == [p.pk for p in people]
