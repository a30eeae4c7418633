from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# PostgreSQL cannot index UNACCENT(): it is only STABLE (its dictionary could change). This
# IMMUTABLE wrapper names the dictionary explicitly, the usual way to make it indexable.
# conference/search.py calls it, and every index below repeats search.py's expressions
# exactly, because an expression index serves only queries that contain the same expression.
FUNCTION = """
CREATE OR REPLACE FUNCTION public.immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


def weighted_vector(table, config, fields):
    """search.py's SearchVector: setweight(to_tsvector(config, COALESCE(unaccented, ''))) ||…"""
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, "
        f"COALESCE(public.immutable_unaccent(\"{table}\".\"{name}\"), '')), '{weight}')"
        for name, weight in fields
    )


def folded(table, name):
    """search.py's accent-free substring match: UPPER(immutable_unaccent(field)::text)."""
    return f'UPPER((public.immutable_unaccent("{table}"."{name}"))::text)'


# Ranking reads the vector of every match: computed from long abstracts that costs ~0.1 ms a
# row, so works keep theirs in a column PostgreSQL generates (Django does not know it;
# search.py reads it by name). It holds exactly the vector search.py would build.
PAPER_VECTOR_COLUMN = """
ALTER TABLE "papers_paper" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({}) STORED
""".format(
    weighted_vector(
        "papers_paper", "english", [("title", "A"), ("journal", "B"), ("abstract", "B")]
    ).replace('"papers_paper".', "")
)

INDEXES = {
    "paper_search_vector_idx": ("papers_paper", '"search_vector"'),
    "person_search_vector_idx": (
        "people_person",
        weighted_vector("people_person", "simple", [("family_name", "A"), ("given_name", "A")]),
    ),
    "person_given_name_trgm_idx": (
        "people_person",
        folded("people_person", "given_name"),
        "gin_trgm_ops",
    ),
    "person_family_name_trgm_idx": (
        "people_person",
        folded("people_person", "family_name"),
        "gin_trgm_ops",
    ),
    "institution_search_vector_idx": (
        "people_institution",
        weighted_vector(
            "people_institution",
            "simple",
            [("name", "A"), ("short_name", "A"), ("other_names", "B"), ("city", "B")],
        ),
    ),
    "institution_name_trgm_idx": (
        "people_institution",
        folded("people_institution", "name"),
        "gin_trgm_ops",
    ),
    "institution_short_name_trgm_idx": (
        "people_institution",
        folded("people_institution", "short_name"),
        "gin_trgm_ops",
    ),
    "institution_other_names_trgm_idx": (
        "people_institution",
        folded("people_institution", "other_names"),
        "gin_trgm_ops",
    ),
}


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(PAPER_VECTOR_COLUMN)
    for name, (table, expression, *operator_class) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "{table}" USING gin (({expression}) {" ".join(operator_class)})'
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute('ALTER TABLE "papers_paper" DROP COLUMN IF EXISTS "search_vector"')
    schema_editor.execute("DROP FUNCTION IF EXISTS public.immutable_unaccent(text)")


class Migration(migrations.Migration):
    """GIN indexes for the site search on PostgreSQL (full text and trigram); nothing on SQLite.

    Meetings (a few hundred rows even in a large archive) are searched without an index.
    """

    dependencies = [
        ("conference", "0004_edit_history"),
        ("papers", "0003_listing_indexes"),
        ("people", "0003_listing_indexes"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
