"""One portable JSON file with everything organizers entered, and its way back in.

The file is a Django fixture (``loaddata`` reads it too) holding, in dependency order:
user groups, user accounts (with their password hashes and permissions), API tokens, the
admin's action log, every row of the people, conference and papers apps, and the edit
history of each of them.

References between rows use natural keys (slugs, usernames, permission codenames), so the
file does not depend on the numbering of content types and permissions, which differs from
one database to the next. Rows keep their primary keys too: history records and the admin
log refer to rows by id, and a restored archive keeps its admin addresses. History records
refer to rows that may since have been deleted, so they are written with plain ids.

Each row with a natural key also carries it (``"natural_key": [...]``, which ``loaddata``
ignores), so that a restore resolves references from the file itself instead of asking the
database once per reference.
"""

import datetime
import json
import time
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import BigIntegerField, Func, Max, Value
from psycopg import IsolationLevel

ARCHIVE_APPS = ("people", "conference", "papers")
ACCOUNT_MODELS = ("auth.Group", "auth.User", "authtoken.Token", "admin.LogEntry")
# Rows that a fresh database already has after `migrate` (the Organizers group): matched by
# name and updated, never duplicated.
MATCHED_BY_NATURAL_KEY = (Group,)


MAX_PROBLEMS_SHOWN = 20
NOTHING_RESTORED = "Nothing was restored: the database is as empty as before."
INCONSISTENT = (
    "The backup does not hold together: it was probably taken by an older version, which "
    "read table after table while the site was being edited. Take a new backup with "
    "`manage.py backup` (one snapshot of the whole database) and restore that one."
)
CORRECT_THE_FILE = (
    "The file was damaged or edited: restore an undamaged copy, or take a new backup with "
    "`manage.py backup`."
)


class DatabaseNotEmpty(Exception):
    pass


class BackupProblem(Exception):
    """A backup that cannot be restored, said in words: which record, which field, what to
    do."""


def is_history(model):
    return hasattr(model, "instance_type") or model.__name__.startswith("Historical")


def backup_models():
    """Every model in the backup, each after the models it refers to by natural key."""
    archive = [
        (apps.get_app_config(label), list(apps.get_app_config(label).get_models()))
        for label in ARCHIVE_APPS
    ]
    ordered = serializers.sort_dependencies(archive, allow_cycles=True)
    records = [model for model in ordered if not is_history(model)]
    history = [model for model in ordered if is_history(model)]
    accounts = [apps.get_model(label) for label in ACCOUNT_MODELS]
    # Accounts first (history and the admin log name their users), the admin log last.
    return [*accounts[:3], *records, *history, accounts[3]]


class BackupJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds only, and a restore must
    give back every value exactly (history order, the admin's edit-conflict check)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """Natural keys per row: history rows refer by id, other rows by natural key."""

    def start_object(self, obj):
        history = is_history(type(obj))
        self.use_natural_foreign_keys = not history
        self.use_natural_primary_keys = isinstance(obj, MATCHED_BY_NATURAL_KEY)
        super().start_object(obj)

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        if not is_history(type(obj)) and hasattr(obj, "natural_key"):
            data["natural_key"] = obj.natural_key()
        return data


def _natural_key_paths(model):
    """Related rows whose natural keys the serializer writes, fetched with the row itself
    (an authorship names its paper by slug, a presenter its presentation's meeting)."""
    paths = []
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        paths.append(field.name)
        paths += [
            f"{field.name}__{related.name}"
            for related in field.related_model._meta.concrete_fields
            if related.is_relation and related.related_model is not model
        ]
    return paths


def _rows(models, progress, using):
    for model in models:
        written = 0
        rows = model._default_manager.db_manager(using).order_by("pk")
        if not is_history(model):
            rows = rows.select_related(*_natural_key_paths(model))
            rows = rows.prefetch_related(*(field.name for field in model._meta.many_to_many))
        for row in rows.iterator(chunk_size=2000):
            written += 1
            yield row
        progress(model._meta.label, written)


@contextmanager
def _snapshot(using):
    """One transaction that sees the database as it was when the backup began, for every
    table it reads, while the site goes on writing.

    Read table by table without it, a work created between reading the works and reading
    the authorships left authorships of a work the file does not hold: a backup that cannot
    be restored. PostgreSQL gets a SERIALIZABLE READ ONLY DEFERRABLE transaction, which
    waits for a snapshot no concurrent transaction can make inconsistent and then never
    fails or blocks a writer (psycopg starts each transaction with these settings). SQLite
    holds one read transaction; in WAL mode (the settings turn it on) writers go on
    meanwhile.
    """
    connection = connections[using]
    # Inside a transaction already (a test's), the backup reads in that one.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    connection.ensure_connection()
    driver = connection.connection
    saved = (driver.isolation_level, driver.read_only, driver.deferrable)
    driver.isolation_level = IsolationLevel.SERIALIZABLE
    driver.read_only, driver.deferrable = True, True
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        driver.isolation_level, driver.read_only, driver.deferrable = saved


def write_backup(stream, *, progress=None, using=DEFAULT_DB_ALIAS):
    """Write the whole archive to ``stream`` (text), as one snapshot of the database;
    returns the number of rows written."""
    counts = []

    def count(label, rows):
        counts.append(rows)
        if progress:
            progress(label, rows)

    with _snapshot(using):
        BackupSerializer().serialize(
            _rows(backup_models(), count, using),
            stream=stream,
            cls=BackupJSONEncoder,
            use_natural_foreign_keys=True,
        )
    stream.write("\n")
    return sum(counts)


def rows_present(using=DEFAULT_DB_ALIAS):
    """What the database already holds, e.g. ["11 people", "2 papers"]: everything but the
    groups that `migrate` creates."""
    present = []
    for model in backup_models():
        if model in MATCHED_BY_NATURAL_KEY:
            continue
        if rows := model._default_manager.db_manager(using).count():
            name = model._meta.verbose_name if rows == 1 else model._meta.verbose_name_plural
            present.append(f"{rows:,} {name}")
    return present


def _with_references_resolved(rows):
    """The rows with references to other rows of the file given as their primary keys, and
    the problems found: references to archive rows the file does not hold."""
    primary_keys = {
        (row["model"], tuple(row["natural_key"])): row["pk"]
        for row in rows
        if "natural_key" in row and "pk" in row
    }
    # Rows of these models carry their ids in the file: a reference to one is found there
    # or nowhere (content types, permissions and groups are matched in the database).
    in_file = {row["model"] for row in rows if "natural_key" in row and "pk" in row}
    problems = []

    def resolve(row, field, value):
        related_label = field.related_model._meta.label_lower
        if not isinstance(value, list):
            return value
        resolved = primary_keys.get((related_label, tuple(value)))
        if resolved is None and related_label in in_file:
            problems.append(
                f"{_describe(row)} names in “{field.name}” the "
                f"{field.related_model._meta.verbose_name} {_natural(value)}, which the "
                "backup does not hold."
            )
        return value if resolved is None else resolved

    for row in rows:
        model = apps.get_model(row["model"])
        for name, value in row["fields"].items():
            field = model._meta.get_field(name)
            if not field.is_relation or value is None:
                continue
            if field.many_to_many:
                row["fields"][name] = [resolve(row, field, item) for item in value]
            else:
                row["fields"][name] = resolve(row, field, value)
    return rows, problems


def _natural(value):
    return "“" + " / ".join(str(part) for part in value) + "”"


def _describe(row):
    """A row of the file in words: “the authorship 17 (“some-work” / 2, papers.Authorship)”."""
    try:
        opts = apps.get_model(row["model"])._meta
        name, label = opts.verbose_name, opts.label
    except (LookupError, ValueError):
        name, label = "record", row["model"]
    ident = f" {row['pk']}" if "pk" in row else ""
    natural = f"{_natural(row['natural_key'])}, " if row.get("natural_key") else ""
    return f"The {name}{ident} ({natural}{label})"


def _parsed(stream):
    """The rows of a backup file, or BackupProblem saying why the file is not one."""
    try:
        rows = json.load(stream)
    except json.JSONDecodeError as error:
        raise BackupProblem(
            f"The file is not valid JSON ({error.msg} at line {error.lineno}, column "
            f"{error.colno}): it is damaged or was not written by `manage.py backup`. "
            f"{NOTHING_RESTORED}"
        ) from None
    except UnicodeDecodeError:
        raise BackupProblem(
            f"The file is not UTF-8 text: it was not written by `manage.py backup`. "
            f"{NOTHING_RESTORED}"
        ) from None
    if not isinstance(rows, list):
        raise BackupProblem(
            f"The file holds one JSON value, not the list of records a backup holds. "
            f"{NOTHING_RESTORED}"
        )
    labels = {model._meta.label_lower for model in backup_models()}
    problems = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("fields"), dict):
            problems.append(f"Record {number:,} of the file is not a record of a backup.")
        elif str(row.get("model", "")).lower() not in labels:
            problems.append(
                f"Record {number:,} of the file is of a kind this archive does not back up "
                f"({row.get('model')!r})."
            )
        else:
            model = apps.get_model(row["model"])
            unknown = [name for name in row["fields"] if name not in _field_names(model)]
            if unknown:
                problems.append(
                    f"{_describe(row)} has fields this version does not know: {', '.join(unknown)}."
                )
    _raise_problems(problems, advice=CORRECT_THE_FILE)
    return rows


def _field_names(model):
    names = set()
    for field in model._meta.get_fields():
        if field.concrete or field.many_to_many:
            names.add(field.name)
    return names


def _field_in_words(row, error):
    """Which field of ``row`` the deserializer could not read, found by reading each again
    (on failure only: it costs a second pass over that one row)."""
    model = apps.get_model(row["model"])
    for name, value in row["fields"].items():
        field = model._meta.get_field(name)
        if field.is_relation:
            continue
        try:
            field.to_python(value)
        except ValidationError as field_error:
            return f"its “{name}” {value!r} cannot be read: {' '.join(field_error.messages)}"
    return str(error)


def _raise_problems(problems, *, advice):
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    raise BackupProblem(
        "This backup cannot be restored:\n"
        + "\n".join(f"- {problem}" for problem in shown)
        + (f"\n- … and {more:,} more like these." if more else "")
        + f"\n{advice} {NOTHING_RESTORED}"
    )


def _reset_id_sequences(models, using):
    """Move each restored table's id sequence past its largest id, as ``loaddata`` does:
    rows went in with the ids they had, which a PostgreSQL sequence does not count, so the
    next work entered would otherwise collide with a restored one. (SQLite numbers a new row
    after the largest id by itself.)"""
    if connections[using].vendor != "postgresql":
        return
    tables = set(models)
    for model in models:
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through)
    for model in tables:
        if model._meta.auto_field is None:
            continue
        column = model._meta.pk.column
        sequence = Func(
            Value(model._meta.db_table), Value(column), function="pg_get_serial_sequence"
        )
        # setval(sequence, MAX(id)): one row per table; an empty table keeps its sequence.
        model._base_manager.using(using).aggregate(
            next_after=Func(
                sequence, Max(column), function="setval", output_field=BigIntegerField()
            )
        )


def read_backup(stream, *, progress=None, using=DEFAULT_DB_ALIAS, progress_every=5000):
    """Load a backup into an empty database, in one transaction; returns rows per model.

    A file that is damaged or does not hold together (a row naming another that is not in
    it) raises BackupProblem, listing each faulty record and field; nothing is written.
    """
    if present := rows_present(using):
        raise DatabaseNotEmpty(
            f"The database is not empty: it holds {', '.join(present[:4])}"
            + (f" and {len(present) - 4} more kinds of record" if len(present) > 4 else "")
            + ". A backup is restored only into a new database: create one, run "
            "`manage.py migrate`, then `manage.py restore` again."
        )
    rows, problems = _with_references_resolved(_parsed(stream))
    _raise_problems(problems, advice=INCONSISTENT)
    # Content types are cached per process by id; the ones to match are those stored now.
    ContentType.objects.clear_cache()
    connection = connections[using]
    counts = {}
    started = time.monotonic()
    current = {}

    def tracked(rows):
        for number, row in enumerate(rows, start=1):
            current.update(number=number, row=row)
            yield row

    try:
        with transaction.atomic(using=using), connection.constraint_checks_disabled():
            deferred = []
            objects = serializers.deserialize(
                "python", tracked(rows), using=using, handle_forward_references=True
            )
            for loaded in objects:
                # Restored rows keep the history they came with: saving them adds none.
                loaded.object.skip_history_when_saving = True
                # One INSERT per row; only groups that `migrate` made are matched and updated.
                loaded.save(
                    using=using,
                    force_insert=not isinstance(loaded.object, MATCHED_BY_NATURAL_KEY),
                )
                if loaded.deferred_fields:
                    deferred.append((current["number"], current["row"], loaded))
                label = loaded.object._meta.label
                counts[label] = counts.get(label, 0) + 1
                total = sum(counts.values())
                if progress and total % progress_every == 0:
                    progress(f"{total:,} rows ({label}), {time.monotonic() - started:.1f} s")
            current.clear()
            for number, row, loaded in deferred:
                current.update(number=number, row=row)
                loaded.save_deferred_fields(using=using)
            current.clear()
            models = {apps.get_model(label) for label in counts}
            connection.check_constraints(table_names=[model._meta.db_table for model in models])
            _reset_id_sequences(models, using)
    except (DeserializationError, ValidationError, DatabaseError, ObjectDoesNotExist) as error:
        if not current:
            # Found once every row was written: a reference to a row missing from the file.
            message = str(error).strip().splitlines()[0]
            _raise_problems([message], advice=INCONSISTENT)
        row = current["row"]
        if isinstance(error, DeserializationError):
            reason = _field_in_words(row, error)
        else:
            reason = " ".join(str(error).strip().splitlines()[:2])
        _raise_problems(
            [f"{_describe(row)}, record {current['number']:,} of the file: {reason}"],
            advice=CORRECT_THE_FILE,
        )
    return counts
