"""Always-fresh caching of public pages and API reads, which the site can do without.

Every cached response is stored under a key that includes the *data version*, a counter
that every committed write to the archive bumps. An edit in the admin or the API therefore
makes all cached pages unreachable at once: the very next request builds a fresh page. No
page needs to know which rows it shows, and nothing stale can be served.

The counter lives in the cache itself, so it is shared by every process only when the cache
is (Redis, ``CACHE_URL``). With the per-process locmem cache, page caching is therefore on
only outside production mode (``PAGE_CACHE`` overrides; see settings).

Only anonymous GET/HEAD requests are cached: staff see live pages, API clients that send
credentials get live answers, and responses that set cookies are never stored.

A key names the page's absolute URL (scheme and host too: pages hold absolute links) with
only the query parameters its view reads, sorted; the view is given that same query, so
``?utm_source=…`` or ``?z=1`` neither changes the page nor adds an entry. A view names the
parameters it reads in ``query_parameters`` (the API's are read from its filters and
pagination); a view that names none is cached only when asked without a query string.

Each process also keeps its most recently served pages in memory (``PAGE_CACHE_LOCAL_BYTES``),
under the same keys. A key names a data version, so such a copy can never be stale: the
version is still read from the shared cache on every request, but a large page (a 400-talk
programme is 300 kB) is not fetched and unpickled again.

When Redis cannot be reached (``CacheUnavailable``, conference/cache_backends.py) pages are
built for every request, and a write that cannot bump the version still succeeds: the bump is
owed. Before this process uses the cache again it moves the version itself, whenever a bump
is owed or Redis was unreachable since it last did (another process may have written in the
meantime without being able to bump), and forgets its copies in memory. So no page from before
an outage is served after it. An owed bump is also retried in the background, so that a
process that wrote during the outage moves the version as soon as Redis answers.
"""

import contextlib
import hashlib
import secrets
import threading
import time
from urllib.parse import urlencode

from cachetools import LRUCache
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.generics import GenericAPIView
from rest_framework.settings import api_settings

from conference.core.cache_backends import CacheUnavailable
from conference.core.etags import etag_for

DATA_VERSION_KEY = "conference:data-version"
CACHED_APPS = ("conference", "people", "papers")
# Headers a page's content depends on besides its URL: the API negotiates by Accept, and the
# language is chosen by Accept-Language (and the switch's cookie) where the URL does not say.
VARYING_HEADERS = ("Accept", "Accept-Language")
# A signed-in visitor is never served from the cache: every cached page varies by cookie.
VARY = (*VARYING_HEADERS, "Cookie")
OWED_BUMP_RETRY_SECONDS = 0.5


def _new_version():
    # Random rather than 1: when the shared cache is emptied (Redis restarted), numbering must
    # not start again at a version whose pages some process still holds in memory.
    return secrets.randbelow(2**62)


def data_version():
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def _move_data_version():
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # not set (emptied or evicted): any new value invalidates old keys
        cache.add(DATA_VERSION_KEY, _new_version(), timeout=None)
        # Another process may have added its value first, and built pages under it already.
        cache.incr(DATA_VERSION_KEY)


class _ProcessState:
    """What this process owes the shared data version."""

    def __init__(self):
        self.lock = threading.Lock()
        self.bump_owed = False
        self.retrying = False
        # The cache's count of outages in this process when the version was last moved.
        self.outages_settled = 0


_state = _ProcessState()


def forget_process_state():
    """Start over as a new process would (the tests' Redis fixtures use it)."""
    global _state
    _state = _ProcessState()
    local_pages.clear()


def _outages():
    # Only the Redis backend can be unreachable; locmem has no such count.
    return getattr(cache, "outages", 0)


def _settle_data_version():
    """Move the version if a bump is owed or Redis was unreachable since it last moved.

    Raises ``CacheUnavailable`` if it cannot, and then the cache must not be used."""
    state = _state
    if not state.bump_owed and _outages() == state.outages_settled:
        return
    with state.lock:
        outages = _outages()
        if not state.bump_owed and outages == state.outages_settled:
            return
        _move_data_version()
        local_pages.clear()
        state.bump_owed = False
        state.outages_settled = outages


def _retry_owed_bump(state):
    while True:
        time.sleep(OWED_BUMP_RETRY_SECONDS)
        with state.lock:
            if not state.bump_owed or state is not _state:
                state.retrying = False
                return
        with contextlib.suppress(CacheUnavailable):
            _settle_data_version()


def bump_data_version():
    """Make every cached page stale. Called after each committed write, and by bulk loaders.

    Never raises: a write that committed must not be reported as failed because the cache
    could not be told. The bump is then owed, and paid before the cache is used again."""
    try:
        _move_data_version()
    except CacheUnavailable:
        state = _state
        with state.lock:
            state.bump_owed = True
            if state.retrying:
                return
            state.retrying = True
        threading.Thread(
            target=_retry_owed_bump, args=(state,), name="data-version-bump", daemon=True
        ).start()


def _bump_after_commit(sender, **kwargs):
    # on_commit runs at once outside a transaction, and never for a rolled-back write.
    transaction.on_commit(bump_data_version)


def connect_signals():
    """Bump the version on every save, delete and many-to-many change of the archive's models."""
    for app_label in CACHED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"conference.site.caching:{model._meta.label}"
            post_save.connect(_bump_after_commit, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_bump_after_commit, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(_bump_after_commit, dispatch_uid="conference.site.caching:m2m")


class _LocalPages:
    """The pages this process served last, up to a total size in bytes (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pages = None
        self._capacity = None

    def _store(self):
        capacity = settings.PAGE_CACHE_LOCAL_BYTES
        if self._pages is None or capacity != self._capacity:
            self._capacity = capacity
            self._pages = LRUCache(maxsize=capacity, getsizeof=lambda page: len(page[2]) + 1)
        return self._pages

    def get(self, key):
        with self._lock:
            return self._store().get(key)

    def put(self, key, page):
        with self._lock:
            pages = self._store()
            if pages.getsizeof(page) <= pages.maxsize:
                pages[key] = page

    def clear(self):
        with self._lock:
            self._pages = None


local_pages = _LocalPages()


class _QueryParameters:
    """The query parameter names a view reads: exact names, and prefixes (``year_min``)."""

    def __init__(self, names=(), prefixes=()):
        self.names = frozenset(names)
        self.prefixes = tuple(prefixes)

    def __contains__(self, name):
        return name in self.names or name.startswith(self.prefixes)


def _api_query_parameters(view_class):
    """What a DRF list or detail view reads: its filters', search's, ordering's and
    pagination's parameters, and ``?format=``. None when a filter's cannot be told."""
    names = {api_settings.URL_FORMAT_OVERRIDE}
    prefixes = []
    for backend in view_class.filter_backends:
        if issubclass(backend, DjangoFilterBackend):
            if getattr(view_class, "filterset_fields", None):
                return None
            filterset_class = getattr(view_class, "filterset_class", None)
            if filterset_class is not None:
                names.update(filterset_class.base_filters)
                # As the filter backend reads them (conference/api/filters.py).
                prefixes.extend(f"{name}_" for name in filterset_class.base_filters)
        elif issubclass(backend, SearchFilter):
            names.add(backend.search_param)
        elif issubclass(backend, OrderingFilter):
            names.add(backend.ordering_param)
        else:
            return None
    pagination = view_class.pagination_class
    if pagination is not None:
        names.update(
            getattr(pagination, attribute)
            for attribute in dir(pagination)
            if attribute.endswith("_query_param") and getattr(pagination, attribute)
        )
    return _QueryParameters(names, prefixes)


_view_parameters = {}


def query_parameters(view_func):
    """The query parameters ``view_func`` reads, or None when it does not say."""
    if view_func in _view_parameters:
        return _view_parameters[view_func]
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    declared = [
        vars(klass)["query_parameters"]
        for klass in (view_class.__mro__ if view_class else ())
        if "query_parameters" in vars(klass)
    ]
    if hasattr(view_func, "query_parameters"):
        declared.append(view_func.query_parameters)
    if declared:
        parameters = _QueryParameters(name for names in declared for name in names)
    elif view_class is not None and issubclass(view_class, GenericAPIView):
        parameters = _api_query_parameters(view_class)
    else:
        parameters = None
    _view_parameters[view_func] = parameters
    return parameters


def _normalised_query(request, parameters):
    """The query string of the parameters the view reads, sorted; None if not known."""
    if parameters is None:
        return None if request.META.get("QUERY_STRING") else ""
    return urlencode(
        [
            (name, value)
            for name, values in sorted(request.GET.lists())
            if name in parameters
            for value in values
        ]
    )


def _cache_key(request, query, version):
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    # Keyed by the language the page is answered in (conference/site/languages.py), not by
    # the many spellings of Accept-Language that choose it.
    varying = "\n".join((request.headers.get("Accept", ""), request.LANGUAGE_CODE))
    digest = hashlib.sha256(f"{url}\n{varying}".encode()).hexdigest()
    return f"page:{version}:{digest}"


def _is_cacheable_request(request):
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    if "Authorization" in request.headers:
        return False
    if any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS):
        return False
    # Without a session cookie this costs no query; with one, the user decides.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated


def _is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PublicPageCacheMiddleware:
    """Serve anonymous GETs from the cache, keyed by the data version (see module docstring).

    The cached page stands in for the view's answer (``process_view``), so every middleware
    treats a hit as it treats the fresh page; the headers stored are all the page had here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and _is_cacheable_response(response):
            self._store(key, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_cacheable_request(request):
            return None
        query = _normalised_query(request, query_parameters(view_func))
        if query is None:
            return None
        if query != request.META.get("QUERY_STRING", ""):
            # The view sees what the key names, so its links carry no junk parameters either.
            request.META["QUERY_STRING"] = query
            request.GET = QueryDict(query)
        try:
            _settle_data_version()
            # The key is taken before the page is built: if a write commits meanwhile, the
            # page is stored under the old version, which no later request asks for.
            key = _cache_key(request, query, data_version())
            stored = local_pages.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    local_pages.put(key, stored)
        except CacheUnavailable:
            return None  # built for this request alone; the cache backend logs the outage
        if stored is not None:
            return self._rebuild(stored)
        request._page_cache_key = key
        return None

    def _store(self, key, response):
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if not response.has_header("ETag"):
            response["ETag"] = etag_for(response.content, response.get("Content-Type", ""))
        patch_vary_headers(response, VARY)
        page = (response.status_code, dict(response.items()), response.content)
        try:
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
        except CacheUnavailable:
            return
        local_pages.put(key, page)
        response["X-Cache"] = "miss"

    @staticmethod
    def _rebuild(stored):
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response
