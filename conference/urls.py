from django.conf import settings
from django.contrib import admin
from django.urls import path

from conference import health

admin.site.site_header = f"{settings.SITE_NAME} – organizers"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Meetings, papers and people"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
]
