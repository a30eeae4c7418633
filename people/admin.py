from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conference.core.history_admin import RecordAdmin
from people.models import Affiliation, Institution, Person


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(Institution)
class InstitutionAdmin(RecordAdmin):
    list_display = ["name", "short_name", "city", "country", "ror_id"]
    list_filter = ["country"]
    search_fields = ["name", "short_name", "other_names", "city"]
    fields = [
        "name",
        "short_name",
        "other_names",
        "slug",
        ("city", "country"),
        "website",
        "ror_id",
    ]


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["family_name", "given_name", "orcid", "current_institutions"]
    list_filter = ["affiliations__institution"]
    search_fields = ["given_name", "family_name", "orcid"]
    fields = [("given_name", "family_name"), "is_organisation", "slug", "orcid", "website"]
    inlines = [AffiliationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("affiliations__institution")

    @admin.display(description="Institutions")
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
