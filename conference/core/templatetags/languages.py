"""The page in every language: ``<link rel="alternate" hreflang>`` for search engines and the
language switch for visitors (settings.LANGUAGES; conference/site/languages.py routes them)."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import capfirst

register = template.Library()


def _page_in(request, language):
    """The path of the page ``request`` shows, in ``language``; None if it has no address
    per language (an error page, the admin)."""
    match = request.resolver_match
    if match is None:
        return None
    try:
        with translation.override(language):
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None


def _translations(request):
    return [(code, _page_in(request, code)) for code, _name in settings.LANGUAGES]


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    """The page's address in each language, and the English one as ``x-default``."""
    request = context["request"]
    addresses = [
        (translation.to_language(code), request.build_absolute_uri(path))
        for code, path in _translations(request)
        if path is not None
    ]
    if len(addresses) < len(settings.LANGUAGES):
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
            {
                "code": code,
                "name": capfirst(translation.get_language_info(code.split("-")[0])["name_local"]),
                "current": code == current,
                "url": f"{reverse('switch_language', args=[code])}?{query}",
            }
            for code, _name in settings.LANGUAGES
        ]
    }
