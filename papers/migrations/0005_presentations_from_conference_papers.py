"""Conference papers with no proceedings title were talks: they become presentations.

Existing authorships are authors already (the role column's default), so only the type of
work changes. Reversible: presentations become conference papers again.
"""

from django.db import migrations


def talks_to_presentations(apps, schema_editor):
    Paper = apps.get_model("papers", "Paper")
    Paper.objects.filter(kind="conference_paper", journal="").update(kind="presentation")


def presentations_to_talks(apps, schema_editor):
    Paper = apps.get_model("papers", "Paper")
    Paper.objects.filter(kind="presentation").update(kind="conference_paper")


class Migration(migrations.Migration):
    dependencies = [("papers", "0004_contributor_roles_language_types")]

    operations = [migrations.RunPython(talks_to_presentations, presentations_to_talks)]
