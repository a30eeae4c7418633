"""Concurrent writes on PostgreSQL, each on its own connection: nested lists are replaced
one write at a time, and a confirmed import creates its works once.

Each test forces the interleaving that lost data before: the first write pauses at a hook
while holding its transaction open, the second starts and is seen waiting on a lock in
``pg_stat_activity``, then the first commits. No sleeps decide the order.
"""

import html
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from papers import importer, services
from papers.models import Paper
from people import services as people_services
from people.models import Person
from tests.factories.conference import MeetingFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time; row locks are PostgreSQL's",
    ),
]

WAIT = 30  # seconds: a bound on every wait, never reached when the code is right


def writers_waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until_blocked(thread):
    """Until ``thread`` waits on a lock (or, with nothing to stop it, has finished)."""
    wait_until(
        lambda: not thread.is_alive() or writers_waiting_on_a_lock() == 1,
        f"{thread.name} to wait for the other write's transaction",
    )


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


class Paused:
    """Wraps ``function`` so that the thread named ``name`` stops after calling it, inside
    its transaction, until released."""

    def __init__(self, function, name):
        self.function, self.name = function, name
        self.arrived, self.released = threading.Event(), threading.Event()

    def __call__(self, *args, **kwargs):
        result = self.function(*args, **kwargs)
        if threading.current_thread().name == self.name:
            self.arrived.set()
            assert self.released.wait(WAIT)
        return result


def in_thread(name, work, results):
    def run():
        try:
            results[name] = work()
        except Exception as error:  # reported by the assertions on results
            results[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@pytest.fixture
def organizer(django_user_model):
    # A superuser: transactional tests empty the tables, the Organizers group with them.
    return django_user_model.objects.create_superuser(username="ines", password="not-used-9x!")


@pytest.fixture
def people():
    names = {
        "trui": ("Trui", "Steen"),
        "noella": ("Noella", "Edelmann"),
        "charlotte": ("Charlotte", "van Dijk"),
        "shefali": ("Shefali", "Virkar"),
    }
    return {
        key: Person.objects.create(given_name=given, family_name=family)
        for key, (given, family) in names.items()
    }


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def put_authors(organizer, slug, authors):
    client = api_as(organizer)
    body = {
        "title": "Co-creation after the project ends",
        "type": "conference_paper",
        "year": 2023,
        "authors": [{"person": person.slug, "position": position} for person, position in authors],
    }
    response = client.put(f"/api/papers/{slug}/", body, format="json")
    return response.status_code


@pytest.fixture
def paper(people):
    return services.create_paper(
        title="Co-creation after the project ends",
        kind=Paper.Kind.CONFERENCE_PAPER,
        year=2023,
        authors=[
            {"person": people["trui"], "position": 1},
            {"person": people["noella"], "position": 2},
        ],
    )


def test_two_author_edits_at_once_store_one_of_the_lists_sent(
    organizer, people, paper, monkeypatch
):
    sent_x = [(people["noella"], 1), (people["trui"], 2), (people["charlotte"], 3)]
    sent_y = [(people["shefali"], 1), (people["noella"], 2)]
    hook = Paused(services._save_authors, name="Y")
    monkeypatch.setattr(services, "_save_authors", hook)
    results = {}

    y = in_thread("Y", lambda: put_authors(organizer, paper.slug, sent_y), results)
    assert hook.arrived.wait(WAIT)
    x = in_thread("X", lambda: put_authors(organizer, paper.slug, sent_x), results)
    wait_until_blocked(x)
    hook.released.set()
    y.join(WAIT)
    x.join(WAIT)

    assert results == {"Y": 200, "X": 200}
    stored = list(paper.authorships.order_by("position").values_list("person__slug", "position"))
    # X waited for Y, so X's list is the one that stays, exactly as X sent it.
    assert stored == [(person.slug, position) for person, position in sent_x]


def test_an_author_removed_while_being_added_as_presenter_is_refused_in_words(
    organizer, people, paper, monkeypatch
):
    presentation = services.create_presentation(
        meeting=MeetingFactory(), paper=paper, presenters=[people["trui"]]
    )
    hook = Paused(services._save_presenters, name="Y")
    monkeypatch.setattr(services, "_save_presenters", hook)
    results = {}

    def add_noella_as_presenter():
        response = api_as(organizer).patch(
            f"/api/presentations/{presentation.pk}/",
            {"presenters": [people["trui"].slug, people["noella"].slug]},
            format="json",
        )
        return response.status_code

    def remove_noella_as_author():
        sent = [(people["trui"], 1), (people["charlotte"], 2)]
        client = api_as(organizer)
        body = {
            "title": paper.title,
            "type": paper.kind,
            "year": paper.year,
            "authors": [{"person": person.slug, "position": n} for person, n in sent],
        }
        response = client.put(f"/api/papers/{paper.slug}/", body, format="json")
        return response.status_code, response.json()

    y = in_thread("Y", add_noella_as_presenter, results)
    assert hook.arrived.wait(WAIT)
    x = in_thread("X", remove_noella_as_author, results)
    wait_until_blocked(x)
    hook.released.set()
    y.join(WAIT)
    x.join(WAIT)

    assert results["Y"] == 200
    assert results["X"] == (
        400,
        {
            "authors": [
                f"Noella Edelmann presented this work at {presentation.meeting}: remove them "
                "from that presentation's presenters before removing them as an author."
            ]
        },
    )
    assert list(paper.authorships.values_list("person__slug", "position")) == [
        ("trui-steen", 1),
        ("noella-edelmann", 2),
    ]
    assert list(presentation.presenters.values_list("authorship__person__slug", flat=True)) == [
        "trui-steen",
        "noella-edelmann",
    ]


NO_DOI_BIBTEX = """
@inproceedings{steen2023aftercare,
  author    = {Steen, Trui and Brandsen, Taco},
  title     = {Co-creation after the project ends},
  booktitle = {10th open meeting of the IIAS Study Group on Coproduction of Public Services},
  year      = {2023}
}
"""


def test_four_import_confirms_at_once_create_the_work_once(organizer, monkeypatch):
    hook = Paused(importer._save_work, name="confirm 1")
    monkeypatch.setattr(importer, "_save_work", hook)
    results = {}

    def confirm():
        client = Client()
        client.force_login(organizer)
        response = client.post(
            reverse("admin:papers_paper_import"),
            {"format": "bibtex", "text": NO_DOI_BIBTEX, "confirm": "1"},
        )
        return response.status_code, response.content.decode()

    first = in_thread("confirm 1", confirm, results)
    assert hook.arrived.wait(WAIT)
    others = [in_thread(f"confirm {n}", confirm, results) for n in (2, 3, 4)]
    wait_until(
        lambda: writers_waiting_on_a_lock() == sum(thread.is_alive() for thread in others),
        "the other confirms to wait for the first one",
    )
    hook.released.set()
    for thread in [first, *others]:
        thread.join(WAIT)

    assert Paper.objects.filter(title="Co-creation after the project ends").count() == 1
    assert Person.objects.filter(family_name__in=["Steen", "Brandsen"]).count() == 2
    assert results["confirm 1"][0] == 302
    for name in ("confirm 2", "confirm 3", "confirm 4"):
        status, content = results[name]
        assert status == 200, name
        assert (
            "Nothing was imported: “Co-creation after the project ends” (2023) by Trui Steen "
            "and Taco Brandsen is already recorded."
        ) in html.unescape(content)


def test_twenty_creates_of_one_name_at_once_make_one_person(organizer, monkeypatch):
    """Without an ORCID iD, a second person of exactly the same name needs confirming
    (``same_name_confirmed``): the creates wait on the name's lock row, so the nineteen
    others see the first person and answer 409 instead of storing nineteen duplicates."""
    hook = Paused(people_services._existing_same_name, name="create 1")
    monkeypatch.setattr(people_services, "_existing_same_name", hook)
    results = {}

    def create():
        response = api_as(organizer).post(
            "/api/people/", {"given_name": "Trui", "family_name": "Steen"}, format="json"
        )
        return response.status_code

    first = in_thread("create 1", create, results)
    assert hook.arrived.wait(WAIT)
    others = [in_thread(f"create {n}", create, results) for n in range(2, 21)]
    wait_until(
        lambda: writers_waiting_on_a_lock() == sum(thread.is_alive() for thread in others),
        "the other creates to wait for the first one",
    )
    hook.released.set()
    for thread in [first, *others]:
        thread.join(WAIT)

    assert results["create 1"] == 201
    assert sorted(results[f"create {n}"] for n in range(2, 21)) == [409] * 19
    assert Person.objects.filter(family_name="Steen").count() == 1
