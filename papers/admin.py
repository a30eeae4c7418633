from collections import Counter

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from conference.history_admin import RecordAdmin

from papers.history_admin import PaperHistoryMixin
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation

# Kept rows move this far out of the way while positions are rewritten.
AUTHOR_POSITION_SHIFT = 10000


class AuthorshipFormSet(BaseInlineFormSet):
    def save(self, commit=True):
        """Save a reordered author list: swapping two authors would otherwise trip the unique
        (work, position) constraint row by row, since each row is saved on its own."""
        if not commit or self.instance.pk is None:
            return super().save(commit)
        authorships = Authorship.objects.filter(paper=self.instance)
        authorships.update(position=F("position") + AUTHOR_POSITION_SHIFT)
        saved = super().save(commit)
        # Rows whose form did not change were not saved: put them back where they were.
        authorships.filter(position__gt=AUTHOR_POSITION_SHIFT).update(
            position=F("position") - AUTHOR_POSITION_SHIFT
        )
        return saved

    def clean(self):
        positions = Counter(
            form.cleaned_data["position"]
            for form in self.forms
            if form.cleaned_data.get("position") and not form.cleaned_data.get("DELETE")
        )
        taken_twice = sorted(position for position, count in positions.items() if count > 1)
        if taken_twice:
            raise ValidationError(
                "Two authors have position %(positions)s: give each author their own "
                "position (1 for the first author).",
                params={"positions": ", ".join(map(str, taken_twice))},
            )
        super().clean()


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    formset = AuthorshipFormSet
    extra = 0
    autocomplete_fields = ["person", "affiliation"]
    fields = ["position", "person", "affiliation"]
    ordering = ["position"]


class WorkRelationInline(admin.TabularInline):
    model = WorkRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "relation to an earlier work"
    verbose_name_plural = "relations to other works (this work extends or cites …)"


class PresentationInline(admin.TabularInline):
    """Presentations on the meeting page; presenters are edited on the presentation itself."""

    model = Presentation
    extra = 0
    autocomplete_fields = ["paper"]
    fields = ["position", "paper", "session", "presenters_link"]
    readonly_fields = ["presenters_link"]
    ordering = ["position"]

    @admin.display(description="Presenters")
    def presenters_link(self, presentation):
        if not presentation.pk:
            return "Save first, then choose presenters."
        url = reverse("admin:papers_presentation_change", args=[presentation.pk])
        return format_html('<a href="{}">Edit presenters</a>', url)


class PresenterInline(admin.TabularInline):
    model = Presenter
    extra = 0
    fields = ["position", "authorship"]
    ordering = ["position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the authors of the presented work.
        if db_field.name == "authorship":
            presentation_id = request.resolver_match.kwargs.get("object_id")
            queryset = Authorship.objects.select_related("person")
            if presentation_id:
                queryset = queryset.filter(paper__presentations__pk=presentation_id)
            else:
                queryset = queryset.none()
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Paper)
class PaperAdmin(PaperHistoryMixin, RecordAdmin):
    list_display = ["title", "kind", "year", "journal", "doi"]
    list_filter = [
        "kind",
        "year",
        "presentations__meeting",
        "authorships__affiliation",
        "topics",
    ]
    search_fields = ["title", "abstract", "doi", "authorships__person__family_name"]
    autocomplete_fields = ["topics", "projects"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "abstract", "topics", "projects"]}),
        (
            "Publication",
            {
                "fields": [
                    ("year", "publication_date"),
                    "journal",
                    ("volume", "issue", "pages"),
                    "publisher",
                    "doi",
                    "url",
                ]
            },
        ),
    ]
    inlines = [AuthorshipInline, WorkRelationInline]


@admin.register(Presentation)
class PresentationAdmin(SimpleHistoryAdmin):
    list_display = ["paper", "meeting", "session", "position"]
    list_filter = ["meeting"]
    search_fields = ["paper__title", "meeting__title"]
    autocomplete_fields = ["meeting", "paper"]
    list_select_related = ["paper", "meeting"]
    inlines = [PresenterInline]


@admin.register(Authorship)
class AuthorshipAdmin(SimpleHistoryAdmin):
    list_display = ["paper", "position", "person", "affiliation"]
    list_filter = ["affiliation"]
    search_fields = ["paper__title", "person__family_name", "person__given_name"]
    autocomplete_fields = ["paper", "person", "affiliation"]
    list_select_related = ["paper", "person", "affiliation"]


@admin.register(WorkRelation)
class WorkRelationAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target"]
    list_filter = ["kind"]
    search_fields = ["source__title", "target__title"]
    autocomplete_fields = ["source", "target"]
    list_select_related = ["source", "target"]
