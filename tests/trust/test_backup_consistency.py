"""A backup of a live site is one snapshot, and a damaged backup is refused in words.

The backup reads table after table; a work created between reading the works and reading
the authorships used to leave authorships of a work the file does not hold, and that file
could not be restored. The writer here is a real second connection (a thread), started
at the moment the backup has written its works.
"""

import io
import json
import shutil
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from conference.site.backup import backup_models, read_backup, write_backup
from papers import services
from papers.models import Authorship, Paper
from people.models import Person
from tests.trust.test_backup import empty_database, run_manage

WAIT = 30


def create_work_on_another_connection():
    """Create a work with two authors and commit it, from another thread's connection."""
    errors = []

    def write():
        try:
            services.create_paper(
                title="Written during the backup",
                kind=Paper.Kind.CONFERENCE_PAPER,
                year=2024,
                authors=[
                    {"person": Person.objects.get(slug="trui-steen"), "position": 1},
                    {"person": Person.objects.get(slug="noella-edelmann"), "position": 2},
                ],
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive() and errors == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="in-memory SQLite test databases lock whole tables across threads; "
    "test_backup_during_a_write_on_sqlite_restores covers SQLite with database files",
)
def test_backup_while_a_work_is_created_restores(demo_data):
    papers_before = Paper.objects.count()
    stream = io.StringIO()

    def progress(label, rows):
        if label == "papers.Paper":
            create_work_on_another_connection()

    write_backup(stream, progress=progress)
    assert Paper.objects.filter(title="Written during the backup").exists()
    empty_database()
    stream.seek(0)
    read_backup(stream)

    assert Paper.objects.count() == papers_before
    assert not Authorship.objects.filter(paper__title="Written during the backup").exists()


def restore_problem(path):
    with pytest.raises(CommandError) as error:
        call_command("restore", str(path), verbosity=0)
    return str(error.value)


def nothing_restored():
    return all(
        model._default_manager.count() == 0
        for model in backup_models()
        if model._meta.label != "auth.Group"
    )


@pytest.fixture
def demo_backup(demo_data, tmp_path):
    """The demo's backup as a list of rows, and an empty database to restore it into."""
    path = tmp_path / "archive.json"
    call_command("backup", str(path), verbosity=0)
    empty_database()
    return json.loads(path.read_text(encoding="utf-8"))


def written(tmp_path, rows):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_restore_of_a_backup_missing_a_work_names_the_authorships_and_writes_nothing(
    demo_backup, tmp_path
):
    slug = "edelmann-2023-impact-sustainability-co-creation"
    rows = [
        row
        for row in demo_backup
        if not (row["model"] == "papers.paper" and row["natural_key"] == [slug])
    ]

    message = restore_problem(written(tmp_path, rows))

    authorships = [
        row
        for row in rows
        if row["model"] == "papers.authorship" and row["fields"]["paper"] == [slug]
    ]
    assert message.startswith("This backup cannot be restored:\n")
    for row in authorships:
        position = row["natural_key"][1]
        assert (
            f"- The authorship {row['pk']} (“{slug} / {position}”, papers.Authorship) names in "
            f"“paper” the paper “{slug}”, which the backup does not hold."
        ) in message
    assert message.endswith(
        "Take a new backup with `manage.py backup` (one snapshot of the whole database) and "
        "restore that one. Nothing was restored: the database is as empty as before."
    )
    assert nothing_restored()


def test_restore_of_a_backup_with_a_bad_date_names_the_record_and_field(demo_backup, tmp_path):
    (meeting,) = [row for row in demo_backup if row["model"] == "conference.meeting"]
    meeting["fields"]["start_date"] = "2023-05-32"

    message = restore_problem(written(tmp_path, demo_backup))

    number = demo_backup.index(meeting) + 1
    assert (
        f"- The meeting {meeting['pk']} (“coproduction-2023-nijmegen”, conference.Meeting), "
        f"record {number} of the file: its “start_date” '2023-05-32' cannot be read: "
        "“2023-05-32” value has the correct format (YYYY-MM-DD) but it is an invalid date."
    ) in message
    assert "The file was damaged or edited" in message
    assert nothing_restored()


def test_restore_of_two_authors_in_one_position_names_the_record(demo_backup, tmp_path):
    authorships = [row for row in demo_backup if row["model"] == "papers.authorship"]
    authorships[1]["fields"]["position"] = authorships[0]["fields"]["position"]

    message = restore_problem(written(tmp_path, demo_backup))

    assert f"- The authorship {authorships[1]['pk']} (" in message
    assert "record " in message and "unique" in message.lower()
    assert "Traceback" not in message
    assert nothing_restored()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"model": "papers.paper", "pk": 1, "fields": {', "The file is not valid JSON"),
        ('{"model": "papers.paper"}', "The file holds one JSON value, not the list"),
        ('[{"model": "shop.order", "pk": 1, "fields": {}}]', "of a kind this archive does not"),
        ('[{"model": "papers.paper", "pk": 1, "fields": {"colour": 1}}]', "fields this version"),
    ],
    ids=["truncated", "not-a-list", "unknown-model", "unknown-field"],
)
def test_restore_of_a_file_that_is_not_a_backup_says_so(db, tmp_path, content, expected):
    path = tmp_path / "archive.json"
    path.write_text(content, encoding="utf-8")

    message = restore_problem(path)

    assert expected in message
    assert message.endswith("Nothing was restored: the database is as empty as before.")
    assert nothing_restored()


BACKUP_WITH_A_WRITE_BETWEEN_TABLES = """
import subprocess, sys
from conference.site.backup import write_backup

def progress(label, rows):
    if label == "papers.Paper":
        # Another process, another connection: it commits while the backup is under way.
        subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITE],
                       check=True, timeout=120)

with open(BACKUP_PATH, "w", encoding="utf-8") as stream:
    write_backup(stream, progress=progress)
"""

WRITE = (
    "from papers import services; from papers.models import Paper; "
    "from people.models import Person; "
    "services.create_paper(title='Written during the backup', "
    "kind=Paper.Kind.CONFERENCE_PAPER, year=2024, authors=["
    "{'person': Person.objects.get(slug='trui-steen'), 'position': 1}, "
    "{'person': Person.objects.get(slug='noella-edelmann'), 'position': 2}])"
)


def test_backup_during_a_write_on_sqlite_restores(db, tmp_path):
    """SQLite database files (the test database is in memory): the backup and the writer
    are two processes, the writer committing between the backup's works and authorships."""
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    run_manage("migrate", "--verbosity=0", database_url=source)
    # The restore goes into a copy of the migrated, empty database.
    shutil.copyfile(tmp_path / "source.sqlite3", tmp_path / "target.sqlite3")
    run_manage("load_demo", "--verbosity=0", database_url=source)
    backup = tmp_path / "archive.json"
    code = (
        f"WRITE = {WRITE!r}\nBACKUP_PATH = {str(backup)!r}\n" + BACKUP_WITH_A_WRITE_BETWEEN_TABLES
    )
    run_manage("shell", "--no-imports", "-c", code, database_url=source)
    written = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from papers.models import Paper; print(Paper.objects.count())",
        database_url=source,
    )
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"

    output = run_manage("restore", str(backup), database_url=target)

    assert f"Restored {len(json.loads(backup.read_text(encoding='utf-8'))):,} rows" in output
    assert written.strip() == "3"  # the demo's two works and the one written meanwhile
    titles = {
        row["fields"]["title"]
        for row in json.loads(backup.read_text())
        if row["model"] == "papers.paper"
    }
    assert "Written during the backup" not in titles
