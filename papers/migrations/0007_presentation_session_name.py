from django.db import migrations


class Migration(migrations.Migration):
    """The free-text session keeps its rows under another name until the sessions it
    names exist as records (0009), then goes (0010)."""

    dependencies = [
        ("papers", "0006_web_addresses_are_uris"),
    ]

    operations = [
        migrations.RenameField("presentation", "session", "session_name"),
        migrations.RenameField("historicalpresentation", "session", "session_name"),
    ]
