"""Which language a request is answered in, and the switch between languages.

Public pages live at one address per language: English, the site's own, at ``/meetings/…``,
the others under a prefix (``/fr/meetings/…``), so that a shared link or a search engine keeps
the language. Everything else (the admin, the API, feeds for machines) has one address and
speaks the visitor's language, chosen as Django chooses it: the switch's cookie, then
``Accept-Language``.

A visitor who arrives at an English address of a public page but prefers another language (by
the switch's cookie, else by ``Accept-Language``) is sent on to that language's address. The
switch sets the cookie, so choosing English is kept even by a browser that asks for French.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.middleware import locale
from django.urls import get_urlconf, is_valid_path, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from conference.core.languages import site_language


def preferred_language(request):
    """The visitor's language: the switch's cookie, else the best of ``Accept-Language``,
    else the site's."""
    return translation.get_language_from_request(request, check_path=False)


def _language_address(request, language):
    """The path of the public page ``request`` asks for, in ``language``; None when the path
    is not a public page (the admin, the API)."""
    path = f"/{language}{request.path_info}"
    urlconf = getattr(request, "urlconf", None) or get_urlconf()
    # A prefixed path resolves only while its language is active.
    with translation.override(language):
        if not is_valid_path(path, urlconf):
            return None
    return request.get_full_path().replace(request.path_info, path, 1)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, with two differences for addresses without a language prefix: a public page
    sends a visitor who prefers another language there, and any other address (the admin,
    the API) speaks the visitor's language instead of the site's."""

    def process_request(self, request):
        if translation.get_language_from_path(request.path_info):
            return super().process_request(request)
        language = preferred_language(request)
        if language != site_language():
            address = _language_address(request, language)
            if address is not None:
                if request.method in ("GET", "HEAD"):
                    translation.activate(language)
                    response = HttpResponseRedirect(address)
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
                language = site_language()
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # The switch's cookie decides as much as Accept-Language does.
            patch_vary_headers(response, ("Cookie",))
        return response


def _safe_next(request):
    address = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(
        address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return address
    return "/"


@require_safe
def switch_language(request, language):
    """Show the page ``?next=`` in ``language`` and remember the choice (a plain link, so the
    switch works without JavaScript and on cached pages, which carry no CSRF token)."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    address = _safe_next(request)
    # Resolve the address in the language it is written in: prefixed paths match only then.
    written_in = translation.get_language_from_path(urlsplit(address).path) or site_language()
    with translation.override(written_in):
        translated = translate_url(address, language)
    response = HttpResponseRedirect(translated)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "no-store"
    return response
