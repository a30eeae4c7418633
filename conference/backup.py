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

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction

ARCHIVE_APPS = ("people", "conference", "papers")
ACCOUNT_MODELS = ("auth.Group", "auth.User", "authtoken.Token", "admin.LogEntry")
# Rows that a fresh database already has after `migrate` (the Organizers group): matched by
# name and updated, never duplicated.
MATCHED_BY_NATURAL_KEY = (Group,)


class DatabaseNotEmpty(Exception):
    pass


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


def write_backup(stream, *, progress=None, using=DEFAULT_DB_ALIAS):
    """Write the whole archive to ``stream`` (text); returns the number of rows written."""
    counts = []

    def count(label, rows):
        counts.append(rows)
        if progress:
            progress(label, rows)

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
    """The rows with references to other rows of the file given as their primary keys."""
    primary_keys = {
        (row["model"], tuple(row["natural_key"])): row["pk"]
        for row in rows
        if "natural_key" in row and "pk" in row
    }

    def resolve(related_label, value):
        if isinstance(value, list):
            return primary_keys.get((related_label, tuple(value)), value)
        return value

    for row in rows:
        model = apps.get_model(row["model"])
        for name, value in row["fields"].items():
            field = model._meta.get_field(name)
            if not field.is_relation or value is None:
                continue
            related_label = field.related_model._meta.label_lower
            if field.many_to_many:
                row["fields"][name] = [resolve(related_label, item) for item in value]
            else:
                row["fields"][name] = resolve(related_label, value)
    return rows


def read_backup(stream, *, progress=None, using=DEFAULT_DB_ALIAS, progress_every=5000):
    """Load a backup into an empty database, in one transaction; returns rows per model."""
    if present := rows_present(using):
        raise DatabaseNotEmpty(
            f"The database is not empty: it holds {', '.join(present[:4])}"
            + (f" and {len(present) - 4} more kinds of record" if len(present) > 4 else "")
            + ". A backup is restored only into a new database: create one, run "
            "`manage.py migrate`, then `manage.py restore` again."
        )
    # Content types are cached per process by id; the ones to match are those stored now.
    ContentType.objects.clear_cache()
    connection = connections[using]
    counts = {}
    started = time.monotonic()
    with transaction.atomic(using=using), connection.constraint_checks_disabled():
        deferred = []
        objects = serializers.deserialize(
            "python",
            _with_references_resolved(json.load(stream)),
            using=using,
            handle_forward_references=True,
        )
        for loaded in objects:
            # Restored rows keep the history they came with: saving them adds none.
            loaded.object.skip_history_when_saving = True
            # One INSERT per row; only groups that `migrate` made are matched and updated.
            loaded.save(
                using=using, force_insert=not isinstance(loaded.object, MATCHED_BY_NATURAL_KEY)
            )
            if loaded.deferred_fields:
                deferred.append(loaded)
            label = loaded.object._meta.label
            counts[label] = counts.get(label, 0) + 1
            total = sum(counts.values())
            if progress and total % progress_every == 0:
                progress(f"{total:,} rows ({label}), {time.monotonic() - started:.1f} s")
        for loaded in deferred:
            loaded.save_deferred_fields(using=using)
        models = {apps.get_model(label) for label in counts}
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return counts
