"""The home page, robots.txt and the favicon."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from conference.core.pages import PublicPageMixin
from conference.meetings.models import Meeting, Series

HOME_LATEST_MEETINGS = 6


class HomeView(PublicPageMixin, TemplateView):
    template_name = "conference/home.html"

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The home page is the root: no trail above it.
        context["breadcrumbs"] = []
        meetings = Meeting.objects.with_series().with_talk_counts().newest_first()
        context["upcoming"] = list(meetings.upcoming().order_by("start_date", "title"))
        context["latest"] = list(meetings.past()[:HOME_LATEST_MEETINGS])
        context["series_list"] = list(
            Series.objects.with_parent_organisation().with_meeting_counts().with_translations()
        )
        return context


def robots_txt(request):
    """Everything public may be crawled except the admin and the API; the sitemap lists it."""
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /api/",
        # Search results and downloads are endless combinations of the same records.
        "Disallow: /search/",
        *(
            f"Disallow: /{code}/search/"
            for code, _name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        ),
        # The language switch only redirects; the pages name their translations (hreflang).
        "Disallow: /language/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FAVICON = Path(settings.BASE_DIR) / "static" / "favicon.ico"


@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``, where browsers and feed readers look for it without asking."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
