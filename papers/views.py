"""Public page of a work: authors, abstract, where it was presented, relations, citation."""

from django.db.models import F, prefetch_related_objects
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from conference.core.pages import PublicPageMixin, home_crumb
from conference.meetings.models import Meeting, Topic
from papers.citations import (
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    EXPORT_FORMATS_BY_EXTENSION,
    STYLES,
    format_reference,
    page_locale,
)
from papers.citations.csl import paper_to_csl
from papers.citations.metadata import highwire_meta_html, json_ld_script, paper_json_ld
from papers.exports import citation_download
from papers.models import Paper
from people.models import Institution, Person

STYLE_LABELS = {
    "apa": _("APA (7th edition)"),
    "chicago-author-date": _("Chicago (author-date)"),
    "harvard": "Harvard (Cite Them Right)",
    "ieee": "IEEE",
}


def numbered_affiliations(authorships):
    """Number the authors' institutions in order of first appearance, as journals do.

    Returns ``(authors, institutions)``: ``authors`` pairs each authorship with its
    institution's number (None without one), ``institutions`` pairs numbers with institutions.
    """
    numbers = {}
    authors = []
    for authorship in authorships:
        institution = authorship.affiliation
        number = None
        if institution is not None:
            number = numbers.setdefault(institution, len(numbers) + 1)
        authors.append((authorship, number))
    institutions = [(number, institution) for institution, number in numbers.items()]
    return authors, institutions


TYPE_PLURALS = {
    Paper.Kind.CONFERENCE_PAPER: _("Conference papers"),
    Paper.Kind.JOURNAL_ARTICLE: _("Journal articles"),
    Paper.Kind.BOOK: _("Books"),
    Paper.Kind.CHAPTER: _("Book chapters"),
    Paper.Kind.REPORT: _("Reports"),
}


def works_crumb():
    return (gettext("Works"), reverse("papers:paper_list"))


class PaperListView(PublicPageMixin, ListView):
    """Every work, filtered by type, year, topic, meeting, institution or author (slugs, as
    the API's filters take them), newest first."""

    template_name = "papers/paper_list.html"
    query_parameters = ("type", "year", "topic", "meeting", "institution", "author", "sort", "page")
    paginate_by = 25
    sorts = {
        "newest": (F("year").desc(nulls_last=True), "title", "pk"),
        "oldest": (F("year").asc(nulls_last=True), "title", "pk"),
        "title": ("title", "pk"),
    }
    # parameter -> (QuerySet method, model whose slug names the filter, label)
    record_filters = {
        "topic": ("about_topic_slug", Topic, _("Topic")),
        "meeting": ("presented_at_slug", Meeting, _("Meeting")),
        "institution": ("by_institution_slug", Institution, _("Institution")),
        "author": ("by_author_slug", Person, _("Author")),
    }

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return gettext("Works")

    def get_queryset(self):
        works = Paper.objects.all()
        self.active_filters = []
        kind = self.request.GET.get("type")
        self.kind = kind if kind in Paper.Kind.values else ""
        if self.kind:
            works = works.of_type(self.kind)
            self.active_filters.append(("type", gettext("Type"), Paper.Kind(self.kind).label))
        year = self.request.GET.get("year", "")
        self.year = int(year) if year.isdigit() and 1000 <= int(year) <= 2999 else None
        if self.year:
            works = works.from_year(self.year)
            self.active_filters.append(("year", gettext("Year"), str(self.year)))
        for parameter, (method, model, label) in self.record_filters.items():
            slug = self.request.GET.get(parameter)
            if not slug:
                continue
            record = model._default_manager.filter(slug=slug).first()
            works = getattr(works, method)(slug) if record else works.none()
            self.active_filters.append((parameter, label, str(record) if record else slug))
        sort = self.request.GET.get("sort")
        self.sort = sort if sort in self.sorts else "newest"
        # Rows, not model instances: the same reader as the API's lists (papers.listing).
        return works.order_by(*self.sorts[self.sort]).as_list_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = Paper.Kind.choices
        context["kind"] = self.kind
        context["year"] = self.year
        context["years"] = Paper.objects.year_range()
        context["topics"] = Topic.objects.only("slug", "name")
        context["sort"] = self.sort
        context["active_filters"] = self.active_filters
        context["topic"] = self.request.GET.get("topic", "")
        # Filters the form has no field for, kept when it is submitted.
        context["hidden_filters"] = [
            (parameter, self.request.GET[parameter])
            for parameter in ("meeting", "institution", "author")
            if self.request.GET.get(parameter)
        ]
        return context


class PaperDetailView(PublicPageMixin, DetailView):
    query_parameters = ("style",)
    queryset = Paper.objects.with_details().with_related_work_authors()
    context_object_name = "paper"
    query_parameters = ("style",)

    def get_breadcrumbs(self):
        """Under the meeting it was presented at; otherwise under the works of its type."""
        home = (gettext("Home"), reverse("conference:home"))
        presentations = list(self.object.presentations.all())
        if presentations:
            meeting = max(presentations, key=lambda p: p.meeting.start_date).meeting
            return [
                home,
                (gettext("Meetings"), reverse("conference:meeting_list")),
                (capfirst(meeting.edition_label), meeting.get_absolute_url()),
            ]
        kind = self.object.kind
        return [
            home,
            works_crumb(),
            (
                TYPE_PLURALS[kind] if kind in TYPE_PLURALS else gettext("Works"),
                f"{reverse('papers:paper_list')}?type={kind}",
            ),
        ]

    def get_breadcrumb_label(self):
        return Truncator(self.object.title).words(8, truncate="…")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.object
        authors, institutions = numbered_affiliations(paper.authors)
        context["numbered_authors"] = authors
        context["numbered_institutions"] = institutions
        # Each institution is named as it was in the work's year: its names, in one query.
        prefetch_related_objects([institution for _, institution in institutions], "names")

        style = self.request.GET.get("style", DEFAULT_STYLE)
        if style not in STYLES:
            style = DEFAULT_STYLE
        item = paper_to_csl(paper)
        locale = page_locale(get_language())
        context["citation_style"] = style
        context["citation_styles"] = [(name, STYLE_LABELS.get(name, name)) for name in STYLES]
        # citeproc-js escapes the item's text itself; only the style's markup remains.
        context["citation_html"] = mark_safe(
            format_reference(item, style=style, html=True, locale=locale)
        )
        context["citation_text"] = format_reference(item, style=style, locale=locale)
        context["citation_downloads"] = [
            (export.label, f"cite.{export.extension}") for export in EXPORT_FORMATS.values()
        ]

        page_url = self.request.build_absolute_uri(paper.get_absolute_url())
        context["highwire_meta"] = highwire_meta_html(paper, page_url=page_url)
        context["json_ld"] = json_ld_script(
            paper_json_ld(paper, absolute=self.request.build_absolute_uri)
        )
        return context


def paper_citation(request, slug, extension):
    """``/papers/<slug>/cite.bib`` (``.ris``, ``.json``): the work's citation as a file."""
    export = EXPORT_FORMATS_BY_EXTENSION.get(extension)
    if export is None:
        return HttpResponseBadRequest(
            gettext("Unknown citation file “.%(extension)s”: choose %(extensions)s.")
            % {
                "extension": extension,
                "extensions": ", ".join("." + ext for ext in EXPORT_FORMATS_BY_EXTENSION),
            },
            content_type="text/plain; charset=utf-8",
        )
    paper = get_object_or_404(Paper.objects.with_citation_data(), slug=slug)
    return citation_download([paper_to_csl(paper)], export=export, filename=paper.slug)
