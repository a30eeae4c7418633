"""The French, Dutch and German catalogues are complete and match the code's strings, and
English has its own, every message as written.

Checked with GNU gettext, as Django compiles them: ``msgfmt --check-format --statistics``
must count no untranslated and no fuzzy message, and ``makemessages`` run on the sources
must find no string that the catalogues lack (`make translations` adds them, and fills the
English catalogue itself).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The source language's catalogue: without it, each English string of a page is searched for
# in every catalogue in turn (Django's, each app's, django-countries' fallback) and not found.
CATALOGUES = [*LANGUAGES, "en"]
SOURCES = ("conference", "papers", "people", "harvest", "templates", "locale", "manage.py")


def catalogue(language):
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(path):
    with path.open("rb") as po:
        return {
            (message.context, message.id if isinstance(message.id, str) else message.id[0])
            for message in read_po(po)
            if message.id
        }


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_translates_every_message(language):
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(catalogue(language))],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert "untranslated" not in statistics and "fuzzy" not in statistics, (
        f"{catalogue(language).relative_to(ROOT)}: {statistics}. Translate the messages "
        "msgfmt counts, and remove each translated message's fuzzy flag."
    )


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
        + [f"--locale={language}" for language in CATALOGUES],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "DJANGO_ENV": "development"},
    )
    assert result.returncode == 0, result.stderr

    for language in CATALOGUES:
        missing = msgids(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po") - msgids(
            catalogue(language)
        )
        assert not missing, (
            f"{len(missing)} strings of the code are not in the {language} catalogue, e.g. "
            f"{sorted(missing, key=str)[:5]}: run `make translations` and translate them."
        )


def test_the_english_catalogue_prints_every_message_as_written():
    with catalogue("en").open("rb") as po:
        changed = [
            message.id
            for message in read_po(po)
            if message.id and tuple(message.string) != tuple(message.id)
            if message.pluralizable or message.string != message.id
        ]

    assert not changed, (
        f"{len(changed)} English messages differ from their source, e.g. {changed[:3]}: "
        "run `make translations`, which copies each one."
    )
