from django.db import migrations, models

# A replica answers with the position it has replayed; pg_current_wal_lsn() fails there.
CREATE_VIEW = """
CREATE VIEW core_wal_position AS
SELECT 1 AS id,
       (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
             ELSE pg_current_wal_lsn() END)::text AS lsn
"""


def create_view(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_VIEW)


def drop_view(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP VIEW IF EXISTS core_wal_position")


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="WalPosition",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False, verbose_name="ID")),
                ("lsn", models.CharField(max_length=32, null=True)),
            ],
            options={"db_table": "core_wal_position", "managed": False},
        ),
        migrations.RunPython(create_view, drop_view),
    ]
