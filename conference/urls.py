from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from conference import health
from conference.sitemaps import sitemaps

admin.site.site_header = f"{settings.SITE_NAME} – organizers"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Meetings, papers and people"

handler404 = "conference.api.exceptions.not_found"
handler500 = "conference.api.exceptions.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/", include("conference.api_router")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("", include("conference.site_urls")),
    path("", include("people.urls")),
    path("", include("papers.urls")),
]
