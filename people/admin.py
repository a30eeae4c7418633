from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from conference.core.history_admin import RecordAdmin
from people.admin_views import DuplicatesAdminMixin, UnifyingAdminMixin
from people.models import Affiliation, Institution, InstitutionName, Person, RecordMerge
from people.services import revert_merge


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["institution"]


class InstitutionNameInline(admin.TabularInline):
    model = InstitutionName
    extra = 0
    fields = ["name", "kind", "language", "start_year", "end_year"]


@admin.register(Institution)
class InstitutionAdmin(UnifyingAdminMixin, RecordAdmin):
    list_display = ["name", "short_name", "city", "country", "ror_id"]
    list_filter = ["country"]
    search_fields = ["name", "short_name", "names__name", "city"]
    autocomplete_fields = ["parent", "predecessors"]
    fields = [
        "name",
        "short_name",
        "slug",
        ("city", "country"),
        "website",
        "ror_id",
        "parent",
        "predecessors",
    ]
    inlines = [InstitutionNameInline]
    split_relations = [
        ("affiliations", _("Affiliations")),
        ("authorships", _("Authorships naming it")),
        ("committee_memberships", _("Committee seats naming it")),
    ]
    split_fields = ["name", "short_name", "city", "country"]


@admin.register(Person)
class PersonAdmin(DuplicatesAdminMixin, UnifyingAdminMixin, RecordAdmin):
    list_display = ["family_name", "given_name", "orcid", "current_institutions"]
    list_filter = ["affiliations__institution"]
    search_fields = ["given_name", "family_name", "other_names", "orcid"]
    fields = [
        ("given_name", "family_name"),
        "other_names",
        "is_organisation",
        "slug",
        "orcid",
        "website",
    ]
    inlines = [AffiliationInline]
    split_relations = [
        ("authorships", _("Authorships")),
        ("committee_memberships", _("Committee seats")),
        ("affiliations", _("Affiliations")),
    ]
    split_fields = ["given_name", "family_name", "orcid"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("affiliations__institution")

    @admin.display(description=_("Institutions"))
    def current_institutions(self, person):
        return ", ".join(
            affiliation.institution.display_short_name for affiliation in person.affiliations.all()
        )


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "institution", "role", "start_year", "end_year"]
    list_filter = ["institution"]
    search_fields = ["person__given_name", "person__family_name", "institution__name"]
    autocomplete_fields = ["person", "institution"]
    list_select_related = ["person", "institution"]


@admin.register(RecordMerge)
class RecordMergeAdmin(admin.ModelAdmin):
    """Every merge of people and institutions, with who made it; "Revert" undoes one."""

    list_display = ["__str__", "model", "merged_slug", "merged_at", "merged_by", "reverted_at"]
    list_filter = ["model", "reverted_at"]
    search_fields = ["merged_name", "survivor_name", "merged_slug"]
    actions = ["revert_selected"]
    readonly_fields = [field.name for field in RecordMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revert the selected merges"), permissions=["change"])
    def revert_selected(self, request, queryset):
        for merge in queryset.order_by("-merged_at", "-id"):
            try:
                restored = revert_merge(merge=merge, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{merge}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Reverted: %(record)s is back.") % {"record": restored},
                    messages.SUCCESS,
                )
