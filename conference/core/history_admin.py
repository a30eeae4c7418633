"""Admin for records organizers edit: edit history with revert, and optimistic locking.

Two organizers who open the same meeting and both press save must not silently overwrite
each other. The change form carries the ``updated_at`` the organizer saw; a save whose value
no longer matches the stored one is refused with a form error and changes nothing.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

SEEN_FIELD = "seen_updated_at"


class OptimisticLockForm(forms.ModelForm):
    seen_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored value, not the instance's: when reverting to an earlier version the
        # instance carries that version's old timestamp.
        stored = self.stored_updated_at()
        self.fields[SEEN_FIELD].initial = stored.isoformat() if stored else ""

    def stored_updated_at(self, *, lock=False):
        if self.instance.pk is None:
            return None
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection().in_atomic_block:
            # Held until the admin's transaction ends, so no save slips in after the check.
            rows = rows.select_for_update()
        return rows.values_list("updated_at", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        stored = self.stored_updated_at(lock=True)
        # None: a new record, or a deleted one being recovered from its history.
        if stored is not None and cleaned_data.get(SEEN_FIELD) != stored.isoformat():
            raise ValidationError(self.stale_message(stored), code="stale")
        return cleaned_data

    def stale_message(self, stored):
        name = self.instance._meta.verbose_name
        latest = self.instance.history.select_related("history_user").first()
        when = date_format(timezone.localtime(stored), "d M Y H:i:s")
        if latest and latest.history_user:
            return _(
                "This %(name)s was changed by someone else since you opened it (%(when)s by "
                "%(user)s). Nothing was saved: reload the page to see their changes, then make "
                "yours again."
            ) % {"name": name, "when": when, "user": latest.history_user}
        return _(
            "This %(name)s was changed by someone else since you opened it (%(when)s). Nothing "
            "was saved: reload the page to see their changes, then make yours again."
        ) % {"name": name, "when": when}


class RecordAdmin(SimpleHistoryAdmin):
    """History list (who, when, what changed), view and revert, and optimistic locking."""

    form = OptimisticLockForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if SEEN_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], SEEN_FIELD]}), *rest]

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)
