from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from conference.core.history_admin import RecordAdmin
from papers import importer, services
from papers.history_admin import PaperHistoryMixin
from papers.models import Authorship, Paper, WorkRelation
from papers.programme_admin import author_label, authors_by_work


class AuthorshipFormSet(BaseInlineFormSet):
    """A work's contributors, checked and saved by ``papers.services`` as the API's are: the
    same messages, and a reordered list saved at once (row by row, swapping two authors would
    trip the unique position constraint). Unlike the API, the admin saves a work before its
    authors are added."""

    def contributors(self):
        return [
            {
                "person": form.cleaned_data["person"],
                "role": form.cleaned_data.get("role") or Authorship.Role.AUTHOR,
                "position": form.cleaned_data["position"],
                "affiliation": form.cleaned_data.get("affiliation"),
            }
            for form in self.forms
            if form.cleaned_data.get("person")
            and form.cleaned_data.get("position")
            and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        # Also beside errors in single rows: a repeated position is said at once.
        messages = services.contributor_errors(
            paper=self.instance, authors=self.contributors(), required=False
        )
        if messages:
            raise ValidationError(messages)
        super().clean()

    def save(self, commit=True):
        if not commit:
            return super().save(commit)
        created, changed, removed = services.set_paper_authors(
            paper=self.instance, authors=self.contributors(), required=False
        )
        # What the admin's change message and log entry name.
        self.new_objects, self.changed_objects, self.deleted_objects = created, changed, removed
        return [*created, *(authorship for authorship, _ in changed)]


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    formset = AuthorshipFormSet
    extra = 0
    autocomplete_fields = ["person", "affiliation"]
    fields = ["role", "position", "person", "printed_name", "affiliation"]
    ordering = ["role", "position"]
    verbose_name = _("contributor")
    verbose_name_plural = _("contributors (authors, editors, translators…)")


class WorkRelationInline(admin.TabularInline):
    model = WorkRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = _("relation to an earlier work")
    verbose_name_plural = _("relations to other works (this work extends or cites …)")


class ImportForm(forms.Form):
    MAX_UPLOAD_BYTES = 2 * 1024 * 1024

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("bibtex", "BibTeX"), ("csljson", "CSL-JSON")],
        initial="bibtex",
    )
    text = forms.CharField(
        label=_("Paste entries"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "spellcheck": "false"}),
    )
    file = forms.FileField(label=_("… or upload a file"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > self.MAX_UPLOAD_BYTES:
                raise ValidationError(
                    gettext("The file is larger than 2 MB: split it into smaller files.")
                )
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    gettext("The file is not UTF-8 text: save it as UTF-8 and upload it again.")
                ) from None
        if not cleaned.get("text", "").strip():
            raise ValidationError(gettext("Paste some entries or choose a file."))
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
            _("Publication"),
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
            path(
                "<int:object_id>/authors/",
                self.admin_site.admin_view(self.authors_view),
                name="papers_paper_authors",
            ),
            *super().get_urls(),
        ]

    def authors_view(self, request, object_id):
        """The work's authors in order, for the programme editor's presenter checkboxes."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        authorships = authors_by_work([object_id]).get(object_id, [])
        return JsonResponse(
            {
                "authors": [
                    {"person": authorship.person_id, "label": author_label(authorship)}
                    for authorship in authorships
                ]
            }
        )

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
                    plan.errors.append(
                        gettext("Nothing was imported: %(errors)s")
                        % {"errors": " ".join(error.messages)}
                    )
                else:
                    messages.success(
                        request,
                        gettext("Imported %(works)s work(s) and %(people)s new person(s).")
                        % {"works": len(papers), "people": len(plan.new_people)},
                    )
                    return redirect("admin:papers_paper_changelist")
            # The preview keeps the text so that "Import" re-reads exactly what was previewed.
            form = ImportForm(
                initial={"text": form.cleaned_data["text"], "format": form.cleaned_data["format"]}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import works from BibTeX or CSL-JSON"),
            "form": form,
            "plan": plan,
        }
        return TemplateResponse(request, "admin/papers/paper/import.html", context)


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
