"""The page in every language: ``<link rel="alternate" hreflang>`` for search engines and the
language switch for visitors (settings.LANGUAGES; conference/site/languages.py routes them).

A page's address in another language is its own with the language prefix changed: the URL
patterns are the same in every language (only their ``/fr/`` prefix differs), so no URL is
reversed for it, and every page pays a few string operations, not eight reverses.
"""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import capfirst

from conference.core.languages import site_language

register = template.Library()


@functools.cache
def _languages(script_prefix):
    """(code, name in its own language, switch address) for each of the site's languages."""
    return [
        (
            code,
            capfirst(translation.get_language_info(code.split("-")[0])["name_local"]),
            reverse("switch_language", args=[code]),
        )
        for code, _name in settings.LANGUAGES
    ]


def _page_paths(request):
    """``[(language, path)]``: the page ``request`` shows, in each language; [] for a page
    with no address per language (an error page)."""
    if request.resolver_match is None:
        return []
    path = request.path_info
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :]
    prefix = request.path[: len(request.path) - len(request.path_info)]
    return [
        (code, f"{prefix}{path}" if code == site_language() else f"{prefix}/{code}{path}")
        for code, _name, _switch in _languages(get_script_prefix())
    ]


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    """The page's address in each language, and the English one as ``x-default``."""
    request = context["request"]
    addresses = [
        (translation.to_language(code), request.build_absolute_uri(path))
        for code, path in _page_paths(request)
    ]
    if not addresses:
        return {"alternates": []}
    return {"alternates": [*addresses, ("x-default", addresses[0][1])]}


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    """A link per language to this page in it, named in that language ("Français")."""
    request = context["request"]
    current = translation.get_language()
    query = urlencode({"next": request.get_full_path()})
    return {
        "languages": [
            {"code": code, "name": name, "current": code == current, "url": f"{switch}?{query}"}
            for code, name, switch in _languages(get_script_prefix())
        ]
    }
