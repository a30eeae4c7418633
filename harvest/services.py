"""The DOI registration workflow: mark, export, confirm. Every writer calls these."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harvest import crossref, datacite, items
from harvest.models import DoiRegistration
from papers.services import update_paper


def _absolute(path):
    return settings.SITE_URL + path


def suggested_doi(record):
    """``<DOI_PREFIX>/<kind>.<slug>``: readable, unique, and stable while the slug is."""
    if not settings.DOI_PREFIX:
        raise ValidationError(
            _(
                "DOI_PREFIX is not set: put the prefix your DataCite or Crossref account gives "
                "you (e.g. 10.12345) in the environment first."
            )
        )
    kind = "meeting" if record._meta.model_name == "meeting" else "work"
    return f"{settings.DOI_PREFIX}/{kind}.{record.slug}"


@transaction.atomic
def mark_for_registration(*, record, doi=""):
    """Mark a work or a meeting "to register", with ``doi`` or the suggested one."""
    if getattr(record, "doi", ""):
        raise ValidationError(
            _("%(record)s already has the DOI %(doi)s.") % {"record": record, "doi": record.doi}
        )
    field = "meeting" if record._meta.model_name == "meeting" else "paper"
    existing = DoiRegistration.objects.filter(**{field: record}).select_for_update().first()
    if existing is not None:
        if existing.status == DoiRegistration.Status.REGISTERED:
            raise ValidationError(
                _("%(record)s is registered already, as %(doi)s.")
                % {"record": record, "doi": existing.doi}
            )
        return existing
    registration = DoiRegistration(**{field: record}, doi=doi or suggested_doi(record))
    registration.full_clean()
    registration.save()
    return registration


def export_registrations(*, directory, registrations=None):
    """Write the files to upload for every record marked "to register" into ``directory``.

    DataCite: one ``datacite/<doi>.xml`` per work and meeting. Crossref: one
    ``crossref/<meeting>.xml`` deposit per meeting with works to register (or its own DOI).
    Marks each exported registration "exported". Returns the paths written.
    """
    directory = Path(directory)
    if registrations is None:
        registrations = DoiRegistration.objects.to_register()
    registrations = list(registrations)
    written = []
    datacite_dir = directory / "datacite"
    datacite_dir.mkdir(parents=True, exist_ok=True)
    papers = items.works_for_harvest().in_bulk(
        [registration.paper_id for registration in registrations if registration.paper_id]
    )
    meetings = items.meetings_for_harvest().in_bulk(
        [registration.meeting_id for registration in registrations if registration.meeting_id]
    )
    deposit_meetings = set()
    for registration in registrations:
        if registration.paper_id:
            paper = papers[registration.paper_id]
            resource = datacite.work_resource(paper, absolute=_absolute, doi=registration.doi)
            deposit_meetings.update(p.meeting_id for p in paper.presentations.all())
        else:
            meeting = meetings[registration.meeting_id]
            resource = datacite.meeting_resource(meeting, absolute=_absolute, doi=registration.doi)
            deposit_meetings.add(meeting.pk)
        path = datacite_dir / f"{registration.doi.replace('/', '_')}.xml"
        path.write_bytes(datacite.to_bytes(resource))
        written.append(path)
    if deposit_meetings:
        crossref_dir = directory / "crossref"
        crossref_dir.mkdir(parents=True, exist_ok=True)
        for meeting in items.meetings_for_harvest().filter(pk__in=deposit_meetings):
            deposit = crossref.deposit_for_meeting(meeting, absolute=_absolute)
            path = crossref_dir / f"{meeting.slug}.xml"
            path.write_bytes(deposit.to_bytes())
            written.append(path)
    DoiRegistration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        status=DoiRegistration.Status.EXPORTED, exported_at=timezone.now()
    )
    return written


@transaction.atomic
def confirm_registration(*, registration):
    """The agency accepted the files: the DOI goes on the record's pages and exports."""
    registration = DoiRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.paper_id:
        update_paper(paper=registration.paper, doi=registration.doi)
    registration.status = DoiRegistration.Status.REGISTERED
    registration.registered_at = timezone.now()
    registration.save(update_fields=["status", "registered_at"])
    return registration
