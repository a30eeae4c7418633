from django.db import migrations


def renumber(rows):
    """Positions strictly increasing in the list's order: a repeated or smaller position moves
    to the one after its predecessor; every other row keeps its number, and no row is lost."""
    last = 0
    for row in rows:
        if row.position <= last:
            row.position = last + 1
            row.save(update_fields=["position"])
        last = row.position


def renumber_lists(apps, schema_editor):
    for model_name in ("MeetingTopic", "CommitteeMember"):
        model = apps.get_model("conference", model_name)
        rows = model.objects.order_by("meeting_id", "position", "id")
        meeting_id, group = None, []
        for row in rows.iterator():
            if row.meeting_id != meeting_id:
                renumber(group)
                meeting_id, group = row.meeting_id, []
            group.append(row)
        renumber(group)


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0007_programme_sessions_rooms"),
    ]

    operations = [
        migrations.RunPython(renumber_lists, migrations.RunPython.noop),
    ]
