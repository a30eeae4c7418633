from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.meetings.models import Meeting
from harvest import services
from harvest.models import DoiRegistration
from papers.models import Paper


class DoiRegistrationForm(forms.ModelForm):
    class Meta:
        model = DoiRegistration
        fields = ["paper", "meeting", "doi"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doi"].required = False
        self.fields["doi"].help_text = gettext(
            "Leave empty for <DOI_PREFIX>/work.<slug> (or meeting.<slug>)."
        )

    def clean(self):
        cleaned = super().clean()
        record = cleaned.get("paper") or cleaned.get("meeting")
        if record is not None and not cleaned.get("doi"):
            try:
                cleaned["doi"] = services.suggested_doi(record)
            except ValidationError as error:
                self.add_error("doi", error)
            self.instance.doi = cleaned.get("doi", "")
        return cleaned


@admin.register(DoiRegistration)
class DoiRegistrationAdmin(admin.ModelAdmin):
    form = DoiRegistrationForm
    list_display = ["doi", "record", "status", "marked_at", "exported_at", "registered_at"]
    list_filter = ["status"]
    search_fields = ["doi", "paper__title", "meeting__title"]
    autocomplete_fields = ["paper", "meeting"]
    readonly_fields = ["status", "marked_at", "exported_at", "registered_at"]
    actions = ["confirm_registered"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "paper", "meeting", "doi"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.mark_for_registration(record=obj.record, doi=obj.doi)
            obj.pk = saved.pk

    @admin.action(
        description=_("The agency registered these DOIs: show them on the records' pages"),
        permissions=["change"],
    )
    def confirm_registered(self, request, queryset):
        for registration in queryset:
            services.confirm_registration(registration=registration)
        self.message_user(
            request,
            gettext("%(count)s DOI(s) are now shown as registered.") % {"count": queryset.count()},
        )


@admin.action(description=_("Mark for DOI registration"), permissions=["change"])
def mark_to_register(model_admin, request, queryset):
    marked, refused = 0, []
    for record in queryset:
        try:
            services.mark_for_registration(record=record)
            marked += 1
        except ValidationError as error:
            refused.append(f"{record}: {' '.join(error.messages)}")
    if marked:
        model_admin.message_user(
            request,
            gettext("%(count)s marked to register; export them with manage.py doi_export.")
            % {"count": marked},
        )
    for message in refused:
        model_admin.message_user(request, message, level=messages.ERROR)


# The works' and meetings' own admins get the action through ModelAdmin.actions.
for model in (Paper, Meeting):
    model_admin = admin.site.get_model_admin(model)
    model_admin.actions = [*(model_admin.actions or []), mark_to_register]
