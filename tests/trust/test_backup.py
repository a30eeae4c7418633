"""`manage.py backup` and `restore`: everything comes back exactly, across database kinds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from bench.sample_data import generate_sample_data
from conference.meetings.models import Meeting, Topic
from conference.site.backup import backup_models, is_history
from papers.models import Authorship, Paper
from people.models import Person
from tests.trust.admin_forms import admin_url, form_data

REPO_ROOT = Path(__file__).resolve().parents[2]
# Rows that refer to content types and permissions, whose ids differ between databases.
BY_NATURAL_KEY = {"auth.Group", "auth.User", "authtoken.Token", "admin.LogEntry"}


def snapshot():
    """Every row of every backed-up model, with all fields and sorted many-to-many lists."""
    rows = {}
    for model in backup_models():
        label = model._meta.label
        natural = label in BY_NATURAL_KEY
        for row in serializers.serialize(
            "python",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=natural,
            use_natural_primary_keys=model is Group,
        ):
            fields = {
                name: sorted(value) if isinstance(value, list) else value
                for name, value in row["fields"].items()
            }
            key = row.get("pk", fields.get("name"))
            rows[(label, key)] = fields
    return rows


def edit_history(client):
    """Edits in the admin: history with a user, an admin log entry, a deleted person."""
    meeting = Meeting.objects.get(slug="coproduction-2023-nijmegen")
    url = admin_url(Meeting, "change", meeting.pk)
    assert client.post(url, form_data(client.get(url), venue="Aula")).status_code == 302
    doomed = Person.objects.create(given_name="Zoë", family_name="Deleted")
    assert client.post(admin_url(Person, "delete", doomed.pk), {"post": "yes"}).status_code == 302


def empty_database():
    """`flush` inside the test's transaction; PostgreSQL first runs the deferred foreign-key
    checks of rows written earlier in it, or refuses to TRUNCATE."""
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


def run_manage(*args, database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DJANGO_ENV="development")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def rows_of(path):
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    return {(row["model"], json.dumps(row.get("pk", row.get("natural_key")))): row for row in rows}


def test_round_trip_of_demo_and_thousands_of_generated_works(
    staff_client, demo_data, tmp_path, capsys
):
    generate_sample_data(scale=0.1, seed=7)
    edit_history(staff_client)
    Token.objects.create(user=staff_client.user)
    staff_client.user.groups.add(Group.objects.get(name="Organizers"))
    assert Paper.objects.count() > 2000
    before = snapshot()
    assert any(is_history(apps_model) for apps_model in backup_models())
    backup = tmp_path / "archive.json"

    call_command("backup", str(backup))
    empty_database()
    assert Paper.objects.count() == 0
    call_command("restore", str(backup))

    after = snapshot()
    assert after.keys() == before.keys()
    different = [key for key in before if before[key] != after[key]]
    assert different == []
    output = capsys.readouterr().out
    assert "papers.Authorship" in output
    assert f"Restored {len(json.loads(backup.read_text())):,} rows from {backup}" in output


def test_restored_author_order_and_history_are_intact(staff_client, demo_data, tmp_path):
    edit_history(staff_client)
    paper = Paper.objects.get(slug="sustainability-and-co-creation-in-public-sector-organisations")
    authors = list(paper.authorships.values_list("person__slug", "position", "affiliation__slug"))
    backup = tmp_path / "archive.json"
    call_command("backup", str(backup), verbosity=0)
    empty_database()

    call_command("restore", str(backup), verbosity=0)

    paper = Paper.objects.get(slug=paper.slug)
    assert list(paper.authorships.values_list("person__slug", "position", "affiliation__slug")) == (
        authors
    )
    venue_change = Meeting.objects.get().history.first()
    assert (venue_change.venue, venue_change.history_user.username) == ("Aula", "organizer")
    deleted = Person.history.get(family_name="Deleted", history_type="-")
    assert deleted.history_user.username == "organizer"
    assert Authorship.history.count() == 0  # fixtures carry no history; none is invented


def test_records_entered_after_a_restore_get_new_ids(demo_data, tmp_path):
    backup = tmp_path / "archive.json"
    call_command("backup", str(backup), verbosity=0)
    restored_people = Person.objects.count()
    empty_database()  # on PostgreSQL this also sets every id sequence back to 1
    call_command("restore", str(backup), verbosity=0)

    person = Person.objects.create(given_name="Ada", family_name="Newcomer")
    paper = Paper.objects.create(title="Written after the restore", year=2024)
    authorship = Authorship.objects.create(paper=paper, person=person, position=1)
    paper.topics.add(Topic.objects.first())  # a row of an automatic many-to-many table

    assert Person.objects.count() == restored_people + 1
    assert paper.topics.count() == 1
    assert person.pk > max(Person.objects.exclude(pk=person.pk).values_list("pk", flat=True))
    assert authorship.pk > max(
        Authorship.objects.exclude(pk=authorship.pk).values_list("pk", flat=True)
    )


def test_restore_refuses_a_database_that_is_not_empty(demo_data, tmp_path):
    backup = tmp_path / "archive.json"
    call_command("backup", str(backup), verbosity=0)
    people = Person.objects.count()

    with pytest.raises(CommandError) as error:
        call_command("restore", str(backup), verbosity=0)

    assert str(error.value).startswith("The database is not empty: it holds 6 institutions")
    assert "restored only into a new database" in str(error.value)
    assert Person.objects.count() == people


def test_backup_refuses_to_overwrite_a_file(db, tmp_path):
    backup = tmp_path / "archive.json"
    backup.write_text("keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(backup), verbosity=0)
    assert backup.read_text() == "keep me"


def test_restore_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="There is no backup file at"):
        call_command("restore", str(tmp_path / "nothing.json"), verbosity=0)


def test_backup_moves_between_databases_of_either_kind(db, tmp_path):
    """From a separate SQLite database into the test database (PostgreSQL in CI), and from
    the test database into a new SQLite database: each backup of the copy equals the first."""
    source_url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    run_manage("migrate", "--verbosity=0", database_url=source_url)
    run_manage("loaddata", "demo", "--verbosity=0", database_url=source_url)
    run_manage("populate_history", "--auto", database_url=source_url)
    first = tmp_path / "first.json"
    run_manage("backup", str(first), database_url=source_url)

    call_command("restore", str(first), verbosity=0)
    second = tmp_path / "second.json"
    call_command("backup", str(second), verbosity=0)
    assert rows_of(second) == rows_of(first)

    target_url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    run_manage("migrate", "--verbosity=0", database_url=target_url)
    output = run_manage("restore", str(second), database_url=target_url)
    assert "Restored" in output
    third = tmp_path / "third.json"
    run_manage("backup", str(third), database_url=target_url)
    assert rows_of(third) == rows_of(first)
