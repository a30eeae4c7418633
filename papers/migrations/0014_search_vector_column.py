from django.db import migrations

# Ranking reads the vector of every match: computed from long abstracts that costs ~0.1 ms a
# row, so works keep theirs in a column PostgreSQL generates. It holds exactly the vector
# conference/site/search.py would build (title A, journal and abstract B, English stemming,
# accents folded by the immutable_unaccent() of conference migration 0005). It is no model
# field: every query for works would load it; the search module reads it by name
# (Paper.SEARCH_VECTOR_COLUMN). SQLite has no such column.
#
# Conference migration 0005 created this column on databases made before this migration:
# there it stays as it is (IF NOT EXISTS), with its index.
VECTOR = " || ".join(
    f"setweight(to_tsvector('english'::regconfig, "
    f"COALESCE(public.immutable_unaccent(\"{name}\"), '')), '{weight}')"
    for name, weight in (("title", "A"), ("journal", "B"), ("abstract", "B"))
)
COLUMN = (
    'ALTER TABLE "papers_paper" ADD COLUMN IF NOT EXISTS "search_vector" tsvector '
    f"GENERATED ALWAYS AS ({VECTOR}) STORED"
)
INDEX = (
    'CREATE INDEX IF NOT EXISTS "paper_search_vector_idx" ON "papers_paper" '
    'USING gin (("search_vector"))'
)


def create_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(COLUMN)
    schema_editor.execute(INDEX)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "paper_search_vector_idx"')
    schema_editor.execute('ALTER TABLE "papers_paper" DROP COLUMN IF EXISTS "search_vector"')


class Migration(migrations.Migration):
    """The works' full-text vector, stored by PostgreSQL, with its GIN index; nothing on
    SQLite."""

    dependencies = [
        ("conference", "0005_search_indexes"),
        ("papers", "0013_own_column_ordering"),
    ]

    operations = [migrations.RunPython(create_search_vector, drop_search_vector)]
