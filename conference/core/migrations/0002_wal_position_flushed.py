from django.db import migrations

# The primary's position is where its WAL is flushed (every acknowledged commit is), not where
# it is written: WAL written ahead of a flush (autovacuum, a checkpoint, an asynchronous
# commit, another database's bulk load) ends in a record the replica cannot replay until the
# WAL writer flushes the rest, and a replica compared with it looked behind without being so.
VIEW = """
CREATE OR REPLACE VIEW core_wal_position AS
SELECT 1 AS id,
       (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
             ELSE {primary}() END)::text AS lsn
"""


def _replace_view(primary):
    def replace(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(VIEW.format(primary=primary))

    return replace


class Migration(migrations.Migration):
    dependencies = [("core", "0001_wal_position")]

    operations = [
        migrations.RunPython(
            _replace_view("pg_current_wal_flush_lsn"), _replace_view("pg_current_wal_lsn")
        ),
    ]
