"""Backups taken while works are being written, each restored into a new database.

    python -m bench.backup_check --database sqlite --rounds 10
    python -m bench.backup_check --database postgres --rounds 10

Builds its own archive (the generated sample at ``--scale``, 0.01 by default: a SQLite file
in a temporary folder, or the PostgreSQL database ``conf_backup_check`` on 127.0.0.1),
starts a writer process (``bench.backup_writer``) that creates a work with two or three
ordered authors every ``--pause`` seconds, and takes ``--rounds`` backups with
``manage.py backup`` meanwhile. Each backup is then restored with ``manage.py restore`` into
a new, migrated database. Prints one line per backup and
``N of N restores``; exits 1 unless every backup restored.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import database

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/conf_backup_check"
NAMES = ("conf_backup_check", "conf_backup_check_empty", "conf_backup_check_restore")


def environment(url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=url, DJANGO_ENV="development", PAGE_CACHE="false")
    return env


def manage(url, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=database.ROOT,
        env=environment(url),
        capture_output=True,
        text=True,
        timeout=600,
    )


def database_url(kind, name, folder):
    if kind == "sqlite":
        return f"sqlite:///{Path(folder) / name}.sqlite3"
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    database.check_loopback(url)
    return url


def fresh_database(kind, name, folder, *, template=None):
    """The URL of a new database called ``name``: empty, or a copy of ``template``."""
    url = database_url(kind, name, folder)
    if kind == "sqlite":
        path = Path(folder) / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        if template:
            shutil.copyfile(Path(folder) / f"{template}.sqlite3", path)
    else:
        database.recreate(url, template=template)
    return url


def checked(result, what):
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class MidRunBackup(threading.Thread):
    """``manage.py backup`` of the PostgreSQL database at ``url``, in the background while
    something else writes (``make soak SOAK_ARGS=--backup``), then ``restore`` of it into
    ``<name>_restore``, a new database."""

    def __init__(self, url, folder):
        super().__init__(name="backup", daemon=True)
        self.url, self.path = url, Path(folder) / f"{database.database_name(url)}-backup.json"
        self.problem = ""

    def run(self):
        self.path.unlink(missing_ok=True)
        result = manage(self.url, "backup", str(self.path), "-v0")
        if result.returncode != 0:
            self.problem = "backup failed: " + (result.stderr or result.stdout).strip()

    def restore(self):
        """One line: how the restore went (starting with "NOT restored" if it failed)."""
        if self.ident is None:
            return "NOT restored: the run ended before the backup was due"
        self.join()
        if self.problem:
            return f"NOT restored: {self.problem}"
        target = f"{self.url}_restore"
        database.recreate(target)
        try:
            checked(manage(target, "migrate", "--no-input", "-v0"), "migrate")
            result = manage(target, "restore", str(self.path))
        finally:
            database.drop(target)
        lines = (result.stdout + result.stderr).strip().splitlines()
        if result.returncode != 0:
            return f"NOT restored: {lines[0] if lines else 'no output'}"
        return f"mid-run backup: {lines[-1]}"


def run(kind, rounds, pause, scale, say=print):
    folder = tempfile.mkdtemp(prefix="backup-check-")
    try:
        # Restores go into copies of one migrated, empty database.
        empty = fresh_database(kind, "conf_backup_check_empty", folder)
        checked(manage(empty, "migrate", "--no-input", "-v0"), "migrate")
        source = fresh_database(kind, "conf_backup_check", folder, template=NAMES[1])
        checked(manage(source, "generate_sample_data", f"--scale={scale:g}"), "sample data")
        stop_file = Path(folder) / "stop"
        writer = subprocess.Popen(
            [sys.executable, "-m", "bench.backup_writer", str(stop_file), f"--pause={pause}"],
            cwd=database.ROOT,
            env=environment(source),
            stdout=subprocess.PIPE,
            text=True,
        )
        backups = []
        try:
            time.sleep(1)  # the writer is under way before the first backup
            for number in range(1, rounds + 1):
                path = Path(folder) / f"backup-{number}.json"
                checked(manage(source, "backup", str(path), "-v0"), f"backup {number}")
                backups.append(path)
        finally:
            stop_file.touch()
            written = int(writer.communicate(timeout=60)[0].strip() or 0)
        if writer.returncode != 0:
            raise SystemExit("The writer failed: see its output above.")
        restored = 0
        for number, path in enumerate(backups, start=1):
            target = fresh_database(kind, NAMES[2], folder, template=NAMES[1])
            result = manage(target, "restore", str(path))
            lines = (result.stdout + result.stderr).strip().splitlines()
            if result.returncode == 0:
                restored += 1
                say(f"backup {number}: {lines[-1]}")
            else:
                reason = next((line for line in lines if "Error" in line), lines[-1])
                say(f"backup {number}: NOT restored: {reason}")
        name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[kind]
        say(
            f"{name}: {restored} of {len(backups)} restores of backups taken while "
            f"{written} works were written."
        )
        return restored == len(backups)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if kind == "postgres":
            for name in NAMES:
                database.drop(database_url(kind, name, folder))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--pause", type=float, default=0.05, help="Seconds between works.")
    parser.add_argument("--scale", type=float, default=0.01, help="Sample data scale.")
    arguments = parser.parse_args(argv)
    return 0 if run(arguments.database, arguments.rounds, arguments.pause, arguments.scale) else 1


if __name__ == "__main__":
    sys.exit(main())
