"""The data migrations of issue 13: free-text sessions become session records, repeated
positions are renumbered, and nothing is lost on the way."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# People's tables as they were then too (issue 16 later moved institutions' other names).
BEFORE = [
    ("conference", "0006_web_addresses_are_uris"),
    ("papers", "0006_web_addresses_are_uris"),
    ("people", "0005_web_addresses_are_uris"),
]
AFTER = [
    ("conference", "0009_unique_list_positions_constraints"),
    ("papers", "0010_session_names_replaced"),
    ("people", "0007_person_name_lock"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_archive(transactional_db):
    """A meeting as stored before sessions were records: two named sessions (one talk
    listed between them), an unnamed talk, repeated positions everywhere."""
    apps = migrate(BEFORE)
    institution = apps.get_model("people", "Institution").objects.create(
        name="KU Leuven", slug="ku-leuven"
    )
    series = apps.get_model("conference", "Series").objects.create(name="Study Group", slug="sg")
    meeting = apps.get_model("conference", "Meeting").objects.create(
        series=series,
        slug="meeting",
        title="Meeting",
        start_date=datetime.date(2023, 5, 11),
        end_date=datetime.date(2023, 5, 12),
    )
    Person = apps.get_model("people", "Person")
    people = [
        Person.objects.create(given_name="A", family_name=f"Person {n}", slug=f"p{n}")
        for n in range(3)
    ]
    Topic = apps.get_model("conference", "Topic")
    MeetingTopic = apps.get_model("conference", "MeetingTopic")
    for number in range(3):
        topic = Topic.objects.create(name=f"Topic {number}", slug=f"t{number}")
        MeetingTopic.objects.create(meeting=meeting, topic=topic, position=1)
    CommitteeMember = apps.get_model("conference", "CommitteeMember")
    for person in people[:2]:
        CommitteeMember.objects.create(
            meeting=meeting, person=person, affiliation=institution, position=2
        )
    Paper = apps.get_model("papers", "Paper")
    Presentation = apps.get_model("papers", "Presentation")
    Authorship = apps.get_model("papers", "Authorship")
    Presenter = apps.get_model("papers", "Presenter")
    sessions = ["Session 1: Co-creation", "", "Session 2: Trust", "Session 1: Co-creation ", ""]
    for number, name in enumerate(sessions):
        paper = Paper.objects.create(title=f"Work {number}", slug=f"w{number}", year=2023)
        talk = Presentation.objects.create(
            meeting=meeting, paper=paper, session=name, position=1 if number < 4 else 9
        )
        for position, person in enumerate(people[:2], start=1):
            authorship = Authorship.objects.create(paper=paper, person=person, position=position)
            Presenter.objects.create(presentation=talk, authorship=authorship, position=1)
    yield meeting
    # Whatever happened, later tests find the schema of today.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_session_names_become_sessions_and_repeated_positions_are_renumbered(old_archive):
    apps = migrate(AFTER)
    Session = apps.get_model("conference", "Session")
    Presentation = apps.get_model("papers", "Presentation")
    sessions = list(Session.objects.order_by("position").values_list("title", "slug", "day"))
    assert sessions == [
        ("Session 1: Co-creation", "session-1-co-creation", datetime.date(2023, 5, 11)),
        ("Session 2: Trust", "session-2-trust", datetime.date(2023, 5, 11)),
    ]
    assert not Session.objects.exclude(start_time=None).exists()
    assert not Session.objects.exclude(room=None).exists()
    talks = Presentation.objects.order_by("paper__title")
    assert [(t.paper.title, t.session and t.session.title, t.position) for t in talks] == [
        ("Work 0", "Session 1: Co-creation", 1),
        ("Work 1", None, 1),
        ("Work 2", "Session 2: Trust", 1),
        ("Work 3", "Session 1: Co-creation", 2),
        ("Work 4", None, 9),
    ]
    topics = apps.get_model("conference", "MeetingTopic").objects.order_by("position")
    assert [(t.topic.name, t.position) for t in topics] == [
        ("Topic 0", 1),
        ("Topic 1", 2),
        ("Topic 2", 3),
    ]
    committee = apps.get_model("conference", "CommitteeMember").objects.order_by("position")
    assert [(m.person.family_name, m.position) for m in committee] == [
        ("Person 0", 2),
        ("Person 1", 3),
    ]
    Presenter = apps.get_model("papers", "Presenter")
    assert Presenter.objects.count() == 10
    assert sorted(set(Presenter.objects.values_list("position", flat=True))) == [1, 2]
