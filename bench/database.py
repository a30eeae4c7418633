"""The benchmark's own PostgreSQL database, filled once per scale and seed and then reused."""

import hashlib
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def check_loopback(url):
    host = urlsplit(url).hostname
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"The benchmark database must be on this machine, not on {host!r}.")


def maintenance_url(url):
    """The same server, database ``postgres``: where CREATE/DROP DATABASE run."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def dataset_label(scale, seed):
    """Written as the database comment: a database with another label is rebuilt."""
    generator = (ROOT / "bench" / "sample_data.py").read_bytes()
    return (
        f"sample scale={scale:g} seed={seed} generator={hashlib.sha256(generator).hexdigest()[:12]}"
    )


def _conninfo(url):
    return url.replace("postgres://", "postgresql://", 1)


def current_label(url):
    name = database_name(url)
    with psycopg.connect(_conninfo(maintenance_url(url)), autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None:
        return None
    return row[0] or ""


def recreate(url, *, template=None):
    """An empty database at ``url`` (a copy of the database ``template`` if given)."""
    name = sql.Identifier(database_name(url))
    create = sql.SQL("CREATE DATABASE {}").format(name)
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(_conninfo(maintenance_url(url)), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(create)


def drop(url):
    name = sql.Identifier(database_name(url))
    with psycopg.connect(_conninfo(maintenance_url(url)), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def label(url, text):
    with psycopg.connect(_conninfo(maintenance_url(url)), autocommit=True) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database_name(url)), sql.Literal(text)
            )
        )


def manage(env, *arguments, quiet=False):
    """Run ``manage.py`` with the benchmark's environment; returns its standard output."""
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
    )
    return finished.stdout


def prepare(url, env, *, scale, seed, say=print):
    """Make sure the database holds the dataset for ``scale`` and ``seed``, migrated."""
    check_loopback(url)
    wanted = dataset_label(scale, seed)
    if current_label(url) == wanted:
        say(f"Reusing the dataset in {database_name(url)} ({wanted}).")
        manage(env, "migrate", "--no-input", "-v0")
        return False
    say(f"Building {database_name(url)}: migrate, then generate_sample_data --scale {scale:g}.")
    recreate(url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "generate_sample_data", f"--scale={scale:g}", f"--seed={seed}")
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        # Statistics for the planner, and the visibility map that lets counts read indexes.
        connection.execute("VACUUM ANALYZE")
    label(url, wanted)
    return True


def largest_meeting_path(url):
    """The largest meeting's page in the database at ``url`` (as sample_data.largest_meeting)."""
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        slug, presentations = connection.execute(
            "SELECT meeting.slug, COUNT(presentation.id) FROM conference_meeting meeting "
            "LEFT JOIN papers_presentation presentation ON presentation.meeting_id = meeting.id "
            "GROUP BY meeting.id, meeting.slug ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone()
    return f"/meetings/{slug}/", presentations
