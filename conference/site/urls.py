from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from conference.site import health, languages
from conference.site.sitemaps import sitemaps
from conference.site.views import home

admin.site.site_header = f"{settings.SITE_NAME} – organizers"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Meetings, papers and people"

handler400 = "conference.core.api.exceptions.bad_request"
handler403 = "conference.core.api.exceptions.permission_denied"
handler404 = "conference.core.api.exceptions.not_found"
handler500 = "conference.core.api.exceptions.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/", include("conference.site.api_router")),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("robots.txt", home.robots_txt, name="robots_txt"),
    path("favicon.ico", home.favicon, name="favicon"),
    path("language/<str:language>/", languages.switch_language, name="switch_language"),
    path("", include("harvest.urls")),
]
# Public pages: English at /…, the other languages under /fr/…, /nl/…, /de/….
urlpatterns += i18n_patterns(
    path("", include("conference.site.public_urls")),
    path("", include("conference.site.people_urls")),
    path("", include("papers.urls")),
    prefix_default_language=False,
)
