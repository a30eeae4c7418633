from django.db import migrations

# The site search (conference/site/search.py) now reads a person's other names and an
# institution's typed names: its expressions changed, and an expression index serves only
# queries with the same expression, so the indexes follow (see conference 0005 for the
# immutable_unaccent() wrapper they rely on).


def weighted_vector(table, fields):
    return " || ".join(
        f"setweight(to_tsvector('simple'::regconfig, "
        f"COALESCE(public.immutable_unaccent(\"{table}\".\"{name}\"), '')), '{weight}')"
        for name, weight in fields
    )


def folded(table, name):
    return f'UPPER((public.immutable_unaccent("{table}"."{name}"))::text)'


PERSON_VECTOR = [("family_name", "A"), ("given_name", "A"), ("other_names", "B")]
PERSON_VECTOR_BEFORE = [("family_name", "A"), ("given_name", "A")]
INSTITUTION_VECTOR = [("name", "A"), ("short_name", "A"), ("city", "B")]

INDEXES = {
    "person_search_vector_idx": ("people_person", weighted_vector("people_person", PERSON_VECTOR)),
    "person_other_names_trgm_idx": (
        "people_person",
        folded("people_person", "other_names"),
        "gin_trgm_ops",
    ),
    "institution_search_vector_idx": (
        "people_institution",
        weighted_vector("people_institution", INSTITUTION_VECTOR),
    ),
    "institutionname_name_trgm_idx": (
        "people_institutionname",
        folded("people_institutionname", "name"),
        "gin_trgm_ops",
    ),
}


def create(schema_editor, name, table, expression, *operator_class):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute(
        f'CREATE INDEX "{name}" ON "{table}" USING gin (({expression}) {" ".join(operator_class)})'
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        create(schema_editor, name, *definition)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    create(
        schema_editor,
        "person_search_vector_idx",
        "people_person",
        weighted_vector("people_person", PERSON_VECTOR_BEFORE),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0005_search_indexes"),
        ("people", "0007_person_name_lock"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
