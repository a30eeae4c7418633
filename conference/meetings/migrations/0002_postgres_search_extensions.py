from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The site search ignores accents (Müller = Muller) with PostgreSQL's unaccent.

    Django's extension operations do nothing on other databases, so SQLite migrates as before.
    """

    dependencies = [
        ("conference", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
    ]
