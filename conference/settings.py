"""Settings for the conference archive, read from the environment (12-factor).

Development works with no environment at all: SQLite in the project folder, DEBUG on,
a throwaway secret key. ``DJANGO_ENV=production`` switches to production defaults and
refuses to start without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} is not known: use development or production."
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)

_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
if PRODUCTION:
    # No default: production must be given a real secret.
    SECRET_KEY = env.str("SECRET_KEY")
    if SECRET_KEY == _DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production: set it to a random string of 50+ "
            "characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY)
    ALLOWED_HOSTS = env.list(
        "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
    )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "conference.core",
    "people",
    "conference.meetings",
    "papers",
    "harvest",
    "conference.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "conference.core.security.RequestSizeLimitMiddleware",
    # Which database each request reads (inert without DATABASE_REPLICA_URLS).
    "conference.core.db_routers.ReplicaMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "conference.core.etags.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "conference.site.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "conference.core.api.throttling.UncountServerErrorsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "conference.site.caching.PublicPageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a sign-in that its backend locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conference.site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conference.core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "conference.wsgi.application"
ASGI_APPLICATION = "conference.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# PostgreSQL streaming replicas of the primary, read by conference/db_routers.py.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica{_number}"] = env.db_url_config(_url)
    DATABASES[f"replica{_number}"]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(f"replica{_number}")
for _database in DATABASES.values():
    # Persistent connections: closing after every request costs about a third of throughput.
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
    _database["CONN_HEALTH_CHECKS"] = True
    _database["ATOMIC_REQUESTS"] = False
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's default random_page_cost (4) assumes spinning disks: with the archive in
        # memory or on SSD it hash-joins whole tables (all 80,000 authorships for a 400-talk
        # programme) where index lookups take a tenth of the time. 1.1 is the usual SSD value.
        _pg_options = f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
        _database.setdefault("OPTIONS", {})
        _database["OPTIONS"]["options"] = " ".join(
            filter(None, [_database["OPTIONS"].get("options", ""), _pg_options])
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: readers never block writers, so a backup (one long read
    # transaction, conference/backup.py) runs while the site goes on saving edits.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
if DATABASE_REPLICAS:
    if any(
        DATABASES[alias]["ENGINE"] != "django.db.backends.postgresql"
        for alias in ["default", *DATABASE_REPLICAS]
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS needs PostgreSQL for DATABASE_URL and every replica "
            "(postgres://...): replicas are PostgreSQL streaming replicas of the primary."
        )
    DATABASE_ROUTERS = ["conference.core.db_routers.PrimaryReplicaRouter"]
# After a write, the same client reads from the primary for this long (read your writes).
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: "example.org" means https.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Failed sign-ins are counted per username and per address (django-axes): after
# LOGIN_FAILURE_LIMIT of either, signing in is refused (429) for LOGIN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = (
    "Too many failed sign-ins for this username or from this address: signing in is blocked "
    f"for {env.int('LOGIN_LOCKOUT_MINUTES', default=30)} minutes. Wait, or ask the site's "
    "administrator to unlock it (manage.py axes_reset_username or axes_reset_ip)."
)
# Attempts are kept out of the admin: organizers cannot unlock themselves or each other.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no banner on every manage.py command
# Behind the production proxy (deploy/nginx.conf.template) the client's address is the one it
# puts in X-Forwarded-For, and X-Forwarded-Proto says whether the client used HTTPS. Without a
# proxy that overwrites them (BEHIND_PROXY=false), clients could forge both: they are ignored.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=PRODUCTION)
if BEHIND_PROXY:
    # django-ipware's count: proxies that *append* to X-Forwarded-For after the first one that
    # sets it. deploy/nginx.conf.template sets it to the client's address: 0. With 1 (the old
    # default) a one-address header was ignored, every client counted as the proxy's address,
    # and five failures from anyone locked everyone out.
    AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only where a further proxy (a CDN) rewrites Host and passes the original on.
    USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

# The public pages speak these languages: English at /, the others under /fr/, /nl/ and /de/
# (conference/site/urls.py, conference/site/languages.py). Catalogues: locale/, compiled by
# `make messages` (part of `make serve` and `make test`).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", gettext_noop("English")),
    ("fr", gettext_noop("French")),
    ("nl", gettext_noop("Dutch")),
    ("de", gettext_noop("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Set only by the language switch: a visitor's explicit choice, kept for a year.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SITE_NAME = env.str("SITE_NAME", default="Scholarly Meetings Archive")
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

# Harvesting and DOI registration (harvest/, README "Harvesting and DOIs"). SITE_URL is where
# exports made outside a request (DOI files, Crossref deposits) point; OAI identifiers are
# oai:<OAI_REPOSITORY_IDENTIFIER>:<record> and must stay the same for the archive's life.
SITE_URL = env.str(
    "SITE_URL",
    default=f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
OAI_REPOSITORY_IDENTIFIER = env.str("OAI_REPOSITORY_IDENTIFIER", default="")
OAI_ADMIN_EMAIL = env.str("OAI_ADMIN_EMAIL", default="")
DOI_PREFIX = env.str("DOI_PREFIX", default="")
DOI_PUBLISHER = env.str("DOI_PUBLISHER", default=SITE_NAME)
CROSSREF_DEPOSITOR_NAME = env.str("CROSSREF_DEPOSITOR_NAME", default=SITE_NAME)
CROSSREF_DEPOSITOR_EMAIL = env.str("CROSSREF_DEPOSITOR_EMAIL", default="")

# Request bodies: larger ones are refused with 413 (conference.core.security); form fields are
# bounded by Django, and an admin form of a 400-talk meeting has about 2,400 fields.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from this site, never inline (the API docs use drf-spectacular's split
# Swagger view for that). Inline styles stay allowed: Redoc injects them and the admin and
# its history pages use style attributes; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://conference")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, keeping its Redis client instead of building one per operation.
    CACHES["default"]["BACKEND"] = "conference.core.cache_backends.RedisCache"
    # An unreachable Redis must not stall a request: give up quickly, then leave it alone for
    # CACHE_RETRY_SECONDS (the backend's circuit breaker) and serve pages uncached meanwhile.
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT_SECONDS", default=0.25),
        "socket_timeout": env.float("CACHE_TIMEOUT_SECONDS", default=0.5),
        **CACHES["default"].get("OPTIONS", {}),  # options given in CACHE_URL win
    }
    CACHES["default"]["RETRY_SECONDS"] = env.float("CACHE_RETRY_SECONDS", default=1.0)
# Anonymous pages and API reads are cached under a data version that every write bumps
# (conference/site/caching.py). The version must be shared by all processes, so production caches
# pages only with a shared cache such as Redis (CACHE_URL=redis://127.0.0.1:6379/1).
_PROCESS_LOCAL_CACHE = CACHES["default"]["BACKEND"].endswith("LocMemCache")
PAGE_CACHE = env.bool("PAGE_CACHE", default=not (PRODUCTION and _PROCESS_LOCAL_CACHE))
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 * 60)
# Each process's copy of the pages it served last (0 turns it off); see conference/site/caching.py.
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024)
PAGE_CACHE_EXCLUDED_PATHS = (f"/{ADMIN_URL}", "/healthz", "/readyz")

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous write answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "conference.core.api.permissions.OrganizersMayWrite",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "conference.core.api.filters.FilterBackend",
        "conference.core.api.filters.ArchiveSearchFilter",
        "conference.core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "conference.core.api.parsers.ArchiveJSONParser",
        "rest_framework.parsers.FormParser",
        "conference.core.api.parsers.ArchiveMultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "conference.core.api.negotiation.StrictFormatNegotiation",
    "DEFAULT_PAGINATION_CLASS": "conference.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "conference.core.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "conference.core.api.throttling.AnonymousRateThrottle",
        "conference.core.api.throttling.AuthenticatedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="600/minute"),
        "user": env.str("API_THROTTLE_USER", default="3000/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Scholarly Meetings Archive API",
    "DESCRIPTION": (
        "Meetings of scholarly networks: who presented what, from which institution, "
        "with citations. Reading is open to everyone. Writing (POST, PUT, PATCH, DELETE) "
        "needs the token of a member of the Organizers group, or of a superuser, whose "
        "permissions allow that change (the group has them all); being staff is neither "
        "needed nor enough (conference.core.api.permissions)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PaperTypeEnum": "papers.models.Paper.Kind",
        "RelationKindEnum": "papers.models.WorkRelation.Kind",
        "SupportKindEnum": "conference.meetings.models.MeetingSupport.Kind",
        "OrganizerRoleEnum": "conference.meetings.models.CommitteeMember.Role",
        "ContributorRoleEnum": "papers.models.Authorship.Role",
        "SessionKindEnum": "conference.meetings.models.Session.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "conference.core.api.schema.document_error_responses",
        "conference.core.api.schema.document_links",
        "conference.core.api.schema.document_empty_query_values",
        "papers.api.renderers.document_csl_json_answers",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
