"""Breadcrumbs and pagination: the partials every public page shares."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(crumbs):
    """``crumbs``: ``[(label, url), ..., (current page's label, None)]``."""
    return {"crumbs": crumbs}


def _page_url(request, page, number):
    query = request.GET.copy()
    query.pop("format", None)
    # ListView's own page_obj reads "page"; pages with several lists name theirs.
    parameter = getattr(page, "parameter", "page")
    if number == 1:
        query.pop(parameter, None)
    else:
        query[parameter] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, label=None):
    """Previous/next and numbered links for a ``Page``, keeping the page's other query
    parameters (filters, sort, the search words). Nothing when there is one page. ``label``
    names the navigation for screen readers (“Pages of works”); "Pages" without one."""
    request = context["request"]
    if page.paginator.num_pages <= 1:
        return {"show": False}
    numbers = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            numbers.append((None, number))
        else:
            numbers.append((number, _page_url(request, page, number)))
    return {
        "show": True,
        # Translators: the name of a list's page navigation, for screen readers.
        "label": label or gettext("Pages"),
        "page": page,
        "numbers": numbers,
        "previous_url": _page_url(request, page, page.number - 1) if page.has_previous() else "",
        "next_url": _page_url(request, page, page.number + 1) if page.has_next() else "",
    }


@register.simple_tag(takes_context=True)
def url_without(context, parameter):
    """The current address without ``parameter`` (a filter), from the first page."""
    return url_with(context, **{parameter: None})


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current address with some query parameters changed (``None`` or "" removes
    one) and the page number reset: for filter and sort links."""
    request = context["request"]
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    for name, value in changes.items():
        if value in (None, ""):
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path
