"""What every public page shares: breadcrumbs, paged lists and the parameters a page reads.

Each view declares the query parameters it reads in ``query_parameters``; anything else in
the address does not change the page (the page cache keys pages on exactly these).
"""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


class PublicPageMixin:
    """Shared by every public page: breadcrumbs, and the object's admin options for the
    staff Edit link on detail pages.

    ``get_breadcrumbs()`` returns ``[(label, url), ...]`` from the home page down to the
    page's parent; the page itself comes last, from ``get_breadcrumb_label()``.
    """

    query_parameters = ()

    def get_breadcrumbs(self):
        return []

    def get_breadcrumb_label(self):
        return str(getattr(self, "object", "") or "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "object", None) is not None:
            context["opts"] = self.object._meta
        context["breadcrumbs"] = [*self.get_breadcrumbs(), (self.get_breadcrumb_label(), None)]
        return context


class KnownTotalPaginator(Paginator):
    """A paginator for results whose total is already known (counted by a window function
    in the query that fetched the page), so that paging costs no extra count query."""

    def __init__(self, object_list, per_page, *, total):
        super().__init__(object_list, per_page)
        self._total = total

    @cached_property
    def count(self):
        return self._total


def home_crumb():
    """The first breadcrumb of every page but the home page."""
    return (_("Home"), reverse("conference:home"))


def page_of(request, queryset, *, per_page, parameter="page"):
    """The page of ``queryset`` that ``?<parameter>=N`` asks for (the first page for a
    missing or unreadable number, the last one past the end), two queries at most.

    ``page.parameter`` tells the pagination links which parameter to change.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get(parameter))
    page.parameter = parameter
    return page


def known_page(request, rows, *, per_page, total, number, parameter="page"):
    """A ``Page`` of ``rows`` already fetched for page ``number`` of ``total`` results."""
    paginator = KnownTotalPaginator(range(total), per_page, total=total)
    page = paginator.get_page(number)
    page.object_list = rows
    page.parameter = parameter
    return page


# No list has this many pages; a larger number would overflow the database's OFFSET.
MAX_PAGE_NUMBER = 1_000_000


def page_number(request, parameter="page"):
    """``?page=N`` as a number from 1, or 1 for anything else."""
    try:
        return min(max(1, int(request.GET.get(parameter, 1))), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1
