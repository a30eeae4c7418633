"""The site search page: every kind of record, paged, with exports of the works found."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from conference.core.pages import PublicPageMixin, home_crumb, known_page, page_number
from conference.site.search import KINDS, MAX_QUERY_LENGTH, count_by_kind, search_site
from papers.citations.csl import papers_to_csl
from papers.exports import CitationExportMixin
from papers.models import Paper

SEARCH_RESULTS_PER_KIND = 10
SEARCH_RESULTS_PER_PAGE = 25
# A search export holds at most this many works, best matches first; the page says so when
# there are more (README, "Search").
SEARCH_EXPORT_LIMIT = 1000


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Words to search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
    )
    kind = forms.CharField(required=False)

    def clean_kind(self):
        # An unknown kind (an old or mistyped link) shows every kind rather than an error.
        kind = self.cleaned_data["kind"]
        return kind if kind in KINDS else ""


class SearchView(CitationExportMixin, PublicPageMixin, TemplateView):
    """The overview lists the first results of every kind; ``kind=`` pages through one."""

    template_name = "conference/search.html"
    query_parameters = ("q", "kind", "page", "format")

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        # Translators: the search page's name in the breadcrumbs.
        return _("Search")

    def get_export_items(self):
        form = SearchForm(self.request.GET)
        if not form.is_valid() or not form.cleaned_data["q"]:
            return []
        results = search_site(form.cleaned_data["q"], kind="works", limit=SEARCH_EXPORT_LIMIT)
        found = results.group("works").results
        ranked = {work.id: rank for rank, work in enumerate(found)}
        papers = Paper.objects.filter(pk__in=ranked).with_citation_data()
        return papers_to_csl(sorted(papers, key=lambda paper: ranked[paper.pk]))

    def get_export_filename(self):
        return "search-results"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        context["export_limit"] = SEARCH_EXPORT_LIMIT
        if not form.is_valid() or not form.cleaned_data["q"]:
            return context
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        if kind:
            number = page_number(self.request)
            results = search_site(
                query,
                kind=kind,
                offset=(number - 1) * SEARCH_RESULTS_PER_PAGE,
                limit=SEARCH_RESULTS_PER_PAGE,
            )
            group = results.group(kind)
            context["kind_group"] = group
            context["results_page"] = known_page(
                self.request,
                group.results,
                per_page=SEARCH_RESULTS_PER_PAGE,
                total=group.total,
                number=number,
            )
            context["kind_counts"] = count_by_kind(query)
            context["past_last_page"] = number > 1 and not group.results
        else:
            results = search_site(query, limit=SEARCH_RESULTS_PER_KIND)
        context["results"] = results
        return context

    def render_to_response(self, context, **response_kwargs):
        if context["form"].errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)
