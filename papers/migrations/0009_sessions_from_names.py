from django.db import migrations
from django.utils.text import slugify


def renumber(rows):
    """Positions strictly increasing in the list's order: a repeated or smaller position moves
    to the one after its predecessor; every other row keeps its number, and no row is lost."""
    last = 0
    for row in rows:
        if row.position <= last:
            row.position = last + 1
            row.save(update_fields=["position"])
        last = row.position


def _unique_slug(title, taken):
    base = slugify(title)[:80].strip("-") or "session"
    slug, counter = base, 2
    while slug in taken:
        suffix = f"-{counter}"
        slug = f"{base[: 80 - len(suffix)]}{suffix}"
        counter += 1
    taken.add(slug)
    return slug


def sessions_from_names(apps, schema_editor):
    """One session per distinct session name of each meeting, in order of first appearance,
    on the meeting's first day, without times or room (none were recorded); its talks keep
    their order. Talks without a name stay unscheduled."""
    Meeting = apps.get_model("conference", "Meeting")
    Session = apps.get_model("conference", "Session")
    Presentation = apps.get_model("papers", "Presentation")
    HistoricalPresentation = apps.get_model("papers", "HistoricalPresentation")
    Presenter = apps.get_model("papers", "Presenter")

    meeting_ids = (
        Presentation.objects.order_by().values_list("meeting_id", flat=True).distinct()
    )
    for meeting in Meeting.objects.filter(pk__in=list(meeting_ids)).order_by("pk"):
        talks = list(Presentation.objects.filter(meeting=meeting).order_by("position", "id"))
        sessions, slugs = {}, set()
        for talk in talks:
            name = talk.session_name.strip()
            if not name:
                continue
            if name not in sessions:
                sessions[name] = Session.objects.create(
                    meeting=meeting,
                    slug=_unique_slug(name, slugs),
                    title=name,
                    kind="paper_session",
                    day=meeting.start_date,
                    position=len(sessions) + 1,
                )
            talk.session = sessions[name]
            talk.save(update_fields=["session"])
        renumber([talk for talk in talks if talk.session_id is None])
        for session in sessions.values():
            renumber([talk for talk in talks if talk.session_id == session.pk])
        # Earlier versions of these talks name the same sessions.
        earlier = HistoricalPresentation.objects.filter(meeting_id=meeting.pk).exclude(
            session_name=""
        )
        for version in earlier:
            session = sessions.get(version.session_name.strip())
            if session is not None:
                version.session_id = session.pk
                version.save(update_fields=["session"])

    rows = Presenter.objects.order_by("presentation_id", "position", "id")
    presentation_id, group = None, []
    for row in rows.iterator():
        if row.presentation_id != presentation_id:
            renumber(group)
            presentation_id, group = row.presentation_id, []
        group.append(row)
    renumber(group)


def names_from_sessions(apps, schema_editor):
    Presentation = apps.get_model("papers", "Presentation")
    for talk in Presentation.objects.filter(session__isnull=False).select_related("session"):
        talk.session_name = talk.session.title
        talk.save(update_fields=["session_name"])
    Presentation.objects.filter(session__isnull=False).update(session=None)
    apps.get_model("conference", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0008_unique_list_positions"),
        ("papers", "0008_talks_in_sessions_discussants"),
    ]

    operations = [
        migrations.RunPython(sessions_from_names, names_from_sessions),
    ]
