"""Public page of a work: authors, abstract, where it was presented, relations, citation."""

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.generic import DetailView

from conference.views import PublicPageMixin
from papers.citations import (
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    EXPORT_FORMATS_BY_EXTENSION,
    STYLES,
    format_reference,
)
from papers.citations.csl import paper_to_csl
from papers.citations.metadata import highwire_meta_html, json_ld_script, paper_json_ld
from papers.exports import citation_download
from papers.models import Paper

STYLE_LABELS = {
    "apa": "APA (7th edition)",
    "chicago-author-date": "Chicago (author-date)",
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


class PaperDetailView(PublicPageMixin, DetailView):
    queryset = Paper.objects.with_details().with_related_work_authors()
    context_object_name = "paper"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.object
        authors, institutions = numbered_affiliations(paper.authors)
        context["numbered_authors"] = authors
        context["numbered_institutions"] = institutions

        style = self.request.GET.get("style", DEFAULT_STYLE)
        if style not in STYLES:
            style = DEFAULT_STYLE
        item = paper_to_csl(paper)
        context["citation_style"] = style
        context["citation_styles"] = [(name, STYLE_LABELS.get(name, name)) for name in STYLES]
        # format_reference escapes the item's text itself; only the style's markup remains.
        context["citation_html"] = mark_safe(format_reference(item, style=style, html=True))
        context["citation_text"] = format_reference(item, style=style)
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
            f"Unknown citation file “.{extension}”: choose "
            f"{', '.join('.' + ext for ext in EXPORT_FORMATS_BY_EXTENSION)}.",
            content_type="text/plain; charset=utf-8",
        )
    paper = get_object_or_404(Paper.objects.with_citation_data(), slug=slug)
    return citation_download([paper_to_csl(paper)], export=export, filename=paper.slug)
