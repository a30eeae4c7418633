"""Edit history shared by every app: which rows one save in the admin wrote together.

A single admin save writes a work, then its topics, then its authors, each with its own
history record. Restoring "the version of 10:42" must bring back the authors written by that
same save, so each record notes the request that wrote it.
"""

import uuid

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class HistoricalRecordBase(models.Model):
    history_request = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The save it was part of."),
    )

    class Meta:
        abstract = True


def kept_history(**options):
    """``HistoricalRecords`` for a model organizers edit."""
    return HistoricalRecords(bases=[HistoricalRecordBase], **options)


@receiver(pre_create_historical_record)
def note_request(sender, history_instance, **kwargs):
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return
    if not hasattr(request, "history_request_id"):
        request.history_request_id = uuid.uuid4()
    history_instance.history_request = request.history_request_id
