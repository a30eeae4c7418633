"""Always-fresh caching of public pages and API reads.

Every cached response is stored under a key that includes the *data version*, a counter
that every committed write to the archive bumps. An edit in the admin or the API therefore
makes all cached pages unreachable at once: the very next request builds a fresh page. No
page needs to know which rows it shows, and nothing stale can be served.

The counter lives in the cache itself, so it is shared by every process only when the cache
is (Redis, ``CACHE_URL``). With the per-process locmem cache, page caching is therefore on
only outside production mode (``PAGE_CACHE`` overrides; see settings).

Only anonymous GET/HEAD requests are cached: staff see live pages, API clients that send
credentials get live answers, and responses that set cookies are never stored.

Each process also keeps its most recently served pages in memory (``PAGE_CACHE_LOCAL_BYTES``),
under the same keys. A key names a data version, so such a copy can never be stale: the
version is still read from the shared cache on every request, but a large page (a 400-talk
programme is 300 kB) is not fetched and unpickled again.
"""

import hashlib
import secrets
import threading

from cachetools import LRUCache
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

DATA_VERSION_KEY = "conference:data-version"
CACHED_APPS = ("conference", "people", "papers")
# Headers a page's content depends on besides its URL: the API negotiates by Accept.
VARYING_HEADERS = ("Accept", "Accept-Language")
_STORED_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link", "Allow")


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


def bump_data_version():
    """Make every cached page stale. Called after each committed write, and by bulk loaders."""
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # not set (emptied or evicted): any new value invalidates old keys
        cache.add(DATA_VERSION_KEY, _new_version(), timeout=None)
        # Another process may have added its value first, and built pages under it already.
        cache.incr(DATA_VERSION_KEY)


def _bump_after_commit(sender, **kwargs):
    # on_commit runs at once outside a transaction, and never for a rolled-back write.
    transaction.on_commit(bump_data_version)


def connect_signals():
    """Bump the version on every save, delete and many-to-many change of the archive's models."""
    for app_label in CACHED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"conference.caching:{model._meta.label}"
            post_save.connect(_bump_after_commit, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_bump_after_commit, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(_bump_after_commit, dispatch_uid="conference.caching:m2m")


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


def _cache_key(request, version):
    varying = "\n".join(request.headers.get(name, "") for name in VARYING_HEADERS)
    digest = hashlib.sha256(f"{request.get_full_path()}\n{varying}".encode()).hexdigest()
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
    """Serve anonymous GETs from the cache, keyed by the data version (see module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        # The key is taken before the page is built: if a write commits meanwhile, the page
        # is stored under the old version, which no later request asks for.
        key = _cache_key(request, data_version())
        stored = local_pages.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                local_pages.put(key, stored)
        if stored is not None:
            return self._rebuild(stored)
        response = self.get_response(request)
        if _is_cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if not response.has_header("ETag"):
                response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
            patch_vary_headers(response, VARYING_HEADERS)
            page = self._freeze(response)
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
            local_pages.put(key, page)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _freeze(response):
        headers = {name: response[name] for name in _STORED_HEADERS if response.has_header(name)}
        for name in ("ETag", "Last-Modified", "Vary"):
            if response.has_header(name):
                headers[name] = response[name]
        return (response.status_code, headers, response.content)

    @staticmethod
    def _rebuild(stored):
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response
