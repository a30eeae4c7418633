from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from conference.core.history_admin import RecordAdmin
from papers import importer
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
            (form.cleaned_data.get("role") or Authorship.Role.AUTHOR, form.cleaned_data["position"])
            for form in self.forms
            if form.cleaned_data.get("position") and not form.cleaned_data.get("DELETE")
        )
        taken_twice = sorted(key for key, count in positions.items() if count > 1)
        if taken_twice:
            raise ValidationError(
                "Two %(role)ss have position %(positions)s: give each %(role)s their own "
                "position (1 for the first).",
                params={
                    "role": Authorship.Role(taken_twice[0][0]).label.lower(),
                    "positions": ", ".join(str(position) for _, position in taken_twice),
                },
            )
        super().clean()


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    formset = AuthorshipFormSet
    extra = 0
    autocomplete_fields = ["person", "affiliation"]
    fields = ["role", "position", "person", "affiliation"]
    ordering = ["role", "position"]
    verbose_name = "contributor"
    verbose_name_plural = "contributors (authors, editors, translators…)"


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


class ImportForm(forms.Form):
    MAX_UPLOAD_BYTES = 2 * 1024 * 1024

    format = forms.ChoiceField(
        choices=[("bibtex", "BibTeX"), ("csljson", "CSL-JSON")], initial="bibtex"
    )
    text = forms.CharField(
        label="Paste entries",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "spellcheck": "false"}),
    )
    file = forms.FileField(label="… or upload a file", required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > self.MAX_UPLOAD_BYTES:
                raise ValidationError("The file is larger than 2 MB: split it into smaller files.")
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    "The file is not UTF-8 text: save it as UTF-8 and upload it again."
                ) from None
        if not cleaned.get("text", "").strip():
            raise ValidationError("Paste some entries or choose a file.")
        return cleaned


@admin.register(Paper)
class PaperAdmin(PaperHistoryMixin, RecordAdmin):
    change_list_template = "admin/papers/paper/change_list.html"
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
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    ("kind", "genre"),
                    "language",
                    "abstract",
                    "topics",
                    "projects",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    ("year", "publication_date"),
                    "journal",
                    ("volume", "issue", "pages"),
                    ("publisher", "publisher_place"),
                    "doi",
                    "url",
                ]
            },
        ),
    ]
    inlines = [AuthorshipInline, WorkRelationInline]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="papers_paper_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Paste or upload BibTeX / CSL-JSON, preview what it creates or matches, confirm."""
        if not (self.has_add_permission(request) and request.user.has_perm("people.add_person")):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            plan = importer.plan_import(
                form.cleaned_data["text"], format=form.cleaned_data["format"]
            )
            if "confirm" in request.POST and plan.is_valid:
                try:
                    papers = importer.apply_plan(plan)
                except ValidationError as error:
                    # A value the preview let through (an address that is not http(s), a
                    # title too long): nothing was written, say what to correct.
                    plan.errors.append("Nothing was imported: " + " ".join(error.messages))
                else:
                    messages.success(
                        request,
                        f"Imported {len(papers)} work(s) and {len(plan.new_people)} new person(s).",
                    )
                    return redirect("admin:papers_paper_changelist")
            # The preview keeps the text so that "Import" re-reads exactly what was previewed.
            form = ImportForm(
                initial={"text": form.cleaned_data["text"], "format": form.cleaned_data["format"]}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import works from BibTeX or CSL-JSON",
            "form": form,
            "plan": plan,
        }
        return TemplateResponse(request, "admin/papers/paper/import.html", context)


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
