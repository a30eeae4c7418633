"""Which records organizers want DOIs for, and where each stands in the registration."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.core.identifiers import normalize_doi, validate_doi


class DoiRegistrationQuerySet(models.QuerySet):
    def to_register(self):
        return self.filter(status=DoiRegistration.Status.TO_REGISTER)


class DoiRegistration(models.Model):
    """A DOI requested for one work or one meeting.

    Organizers mark a record "to register"; ``manage.py doi_export`` writes the files to
    upload to DataCite or Crossref and marks it "exported"; once the agency has accepted the
    files an organizer marks it "registered", which puts the DOI on the record's pages.
    """

    class Status(models.TextChoices):
        TO_REGISTER = "to_register", _("To register")
        EXPORTED = "exported", _("Exported, waiting for the agency")
        REGISTERED = "registered", _("Registered")

    paper = models.OneToOneField(
        "papers.Paper",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="doi_registration",
        verbose_name=_("work"),
    )
    meeting = models.OneToOneField(
        "conference.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="doi_registration",
        verbose_name=_("meeting"),
    )
    doi = models.CharField(
        _("DOI"),
        max_length=255,
        unique=True,
        validators=[validate_doi],
        help_text=_("The DOI to register: your prefix (DOI_PREFIX), a slash and a suffix."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.TO_REGISTER,
        db_index=True,
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)

    objects = DoiRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-marked_at", "id"]
        verbose_name = _("DOI registration")
        verbose_name_plural = _("DOI registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(paper__isnull=False, meeting__isnull=True)
                | Q(paper__isnull=True, meeting__isnull=False),
                name="doi_registration_one_record",
                violation_error_message=_("A DOI registration is for one work or one meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.doi} ({self.record})"

    @property
    def record(self):
        return self.paper or self.meeting

    def clean(self):
        super().clean()
        if self.doi:
            self.doi = normalize_doi(self.doi)
        if bool(self.paper_id) == bool(self.meeting_id):
            raise ValidationError(
                gettext("Choose either a work or a meeting to register a DOI for.")
            )
