"""`make serve` loads the demo into an empty archive only: a restart never undoes an edit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from conference.meetings.models import Meeting
from papers.models import Paper
from people.models import Person

REPO_ROOT = Path(__file__).resolve().parents[2]
MEETING_SLUG = "coproduction-2023-nijmegen"


def serve_recipe(*, always_make=False, **variables):
    """The commands `make serve` runs, as make itself expands them (nothing is run).

    ``always_make`` lists the install steps too, which make skips once .venv is installed.
    """
    bin_dir = Path(sys.executable).parent
    assignments = [f"{name}={value}" for name, value in {"BIN": bin_dir, **variables}.items()]
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *(["-B"] if always_make else []), "serve"]
        + assignments,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if not line.startswith("#")]


def run_setup_step(database_url):
    """Everything `make serve` does before it starts the server, on ``database_url``."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DJANGO_ENV="development")
    output = []
    for line in serve_recipe():
        if " manage.py " not in line or " runserver " in line:
            continue
        args = line.split(" manage.py ", 1)[1].split()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        output.append(result.stdout + result.stderr)
    return "".join(output)


def shell(code, database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DJANGO_ENV="development")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_serve_setup_step_run_again_keeps_an_organizers_edit(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    first = run_setup_step(database_url)
    shell(
        "from conference.meetings.models import Meeting; "
        f"Meeting.objects.filter(slug='{MEETING_SLUG}').update(venue='Aula, Radboud University')",
        database_url,
    )

    again = run_setup_step(database_url)

    venue = shell(
        "from conference.meetings.models import Meeting; "
        f"print(Meeting.objects.get(slug='{MEETING_SLUG}').venue)",
        database_url,
    )
    assert venue == "Aula, Radboud University"
    assert "Loaded the demo meeting: 64 records" in first
    assert "the demo meeting is loaded only into an empty archive" in again
    # One line per step, not one per batch of history records.
    assert "bulk creating history" not in first + again


def test_serve_installs_no_test_extras_and_takes_port_and_host():
    recipe = serve_recipe(always_make=True, PORT="8001", HOST="0.0.0.0")
    assert recipe[-1].endswith("manage.py runserver 0.0.0.0:8001")
    installs = [line for line in recipe if "pip install" in line and "--upgrade pip" not in line]
    assert [line.split("pip install ", 1)[1] for line in installs] == ["--quiet -e ."]


def test_load_demo_leaves_an_archive_with_records_untouched(db, capsys):
    Person.objects.create(given_name="Ines", family_name="Mergel")

    call_command("load_demo")

    assert not Meeting.objects.exists()
    assert list(Person.objects.values_list("family_name", flat=True)) == ["Mergel"]
    assert capsys.readouterr().out == (
        "The archive already holds records (1 people): the demo meeting is loaded only into an "
        "empty archive, so your edits stay as they are.\n"
    )


def test_load_demo_gives_each_record_its_first_version(db):
    call_command("load_demo", verbosity=0)

    assert Meeting.objects.get().slug == MEETING_SLUG
    assert Person.history.count() == Person.objects.count() == 11
    paper = Paper.objects.get(slug="sustainability-and-co-creation-in-public-sector-organisations")
    assert paper.history.exists()


@pytest.mark.parametrize("edit", ["title", "delete"])
def test_load_demo_run_again_undoes_no_edit(db, edit):
    call_command("load_demo", verbosity=0)
    paper = Paper.objects.get(slug="sustainability-and-co-creation-in-public-sector-organisations")
    if edit == "title":
        Paper.objects.filter(pk=paper.pk).update(title="Co-creation, revised")
    else:
        paper.presentations.all().delete()
        paper.relations_in.all().delete()
        paper.relations_out.all().delete()
        paper.delete()

    call_command("load_demo", verbosity=0)

    titles = set(Paper.objects.values_list("title", flat=True))
    assert ("Co-creation, revised" in titles) == (edit == "title")
    assert Paper.objects.count() == (2 if edit == "title" else 1)
