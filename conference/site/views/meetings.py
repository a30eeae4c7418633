"""Public pages of the meetings app: home, meetings, series, topics, projects, search,
calendars, robots.txt and the favicon."""

import datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView
from icalendar import Calendar, Event

from conference.core.pages import PublicPageMixin, known_page, page_number, page_of
from conference.meetings.models import Meeting, Project, Series, Topic
from conference.meetings.programme import Programme
from conference.site.search import KINDS, MAX_QUERY_LENGTH, count_by_kind, search_site
from papers.citations.csl import papers_to_csl
from papers.citations.metadata import json_ld_script, meeting_json_ld
from papers.exports import CitationExportMixin
from papers.models import Paper
from people.models import Person

SEARCH_RESULTS_PER_KIND = 10
SEARCH_RESULTS_PER_PAGE = 25
# A search export holds at most this many works, best matches first; the page says so when
# there are more (README, "Search").
SEARCH_EXPORT_LIMIT = 1000
WORKS_PER_PAGE = 25
HOME_LATEST_MEETINGS = 6


def home_crumb():
    return ("Home", reverse("conference:home"))


def meetings_crumb():
    return ("Meetings", reverse("conference:meeting_list"))


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
            Series.objects.with_parent_organisation().with_meeting_counts()
        )
        return context


class MeetingListView(PublicPageMixin, ListView):
    """Every meeting, newest first, by series and year."""

    template_name = "conference/meeting_list.html"
    query_parameters = ("series", "year", "page")
    paginate_by = 50

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return "Meetings"

    def get_queryset(self):
        meetings = Meeting.objects.with_series().with_talk_counts().newest_first()
        self.series = None
        slug = self.request.GET.get("series")
        if slug:
            self.series = Series.objects.filter(slug=slug).first()
            meetings = meetings.in_series(self.series) if self.series else meetings.none()
        self.year = _year(self.request.GET.get("year"))
        if self.year:
            meetings = meetings.filter(start_date__year=self.year)
        return meetings

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["selected_series"] = self.series
        context["selected_year"] = self.year
        context["series_list"] = Series.objects.with_meeting_counts()
        context["years"] = [date.year for date in Meeting.objects.dates("start_date", "year")][::-1]
        return context


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 2999 else None


class SeriesListView(PublicPageMixin, ListView):
    template_name = "conference/series_list.html"
    query_parameters = ()

    def get_queryset(self):
        return Series.objects.with_parent_organisation().with_meeting_counts()

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return "Meeting series"


class SeriesDetailView(CitationExportMixin, PublicPageMixin, DetailView):
    """A series: its editions, topics over time, everyone who presented or organized."""

    queryset = Series.objects.with_parent_organisation()
    context_object_name = "series"
    query_parameters = ("page", "format")
    people_per_page = 60

    def get_breadcrumbs(self):
        return [home_crumb(), ("Meeting series", reverse("conference:series_list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(
            Meeting.objects.in_series(self.object).with_talk_counts().with_topics().newest_first()
        )
        context["meetings"] = meetings
        context["topics_over_time"] = topics_over_time(meetings)
        context["people"] = page_of(
            self.request,
            Person.objects.active_in_series(self.object),
            per_page=self.people_per_page,
        )
        return context

    def get_export_items(self):
        papers = Paper.objects.presented_in_series(self.object).with_citation_data()
        return papers_to_csl(papers)

    def get_export_filename(self):
        return f"{self.object.slug}-works"


def topics_over_time(meetings):
    """``[(topic, [years])]``: each topic the series' meetings announced, with the years,
    most often announced first."""
    years = {}
    for meeting in sorted(meetings, key=lambda meeting: meeting.start_date):
        for announced in meeting.meeting_topics.all():
            topic_years = years.setdefault(announced.topic, [])
            if meeting.start_date.year not in topic_years:
                topic_years.append(meeting.start_date.year)
    return sorted(years.items(), key=lambda item: (-len(item[1]), item[0].name))


class MeetingDetailView(CitationExportMixin, PublicPageMixin, DetailView):
    queryset = Meeting.objects.with_page_details()
    context_object_name = "meeting"
    query_parameters = ("format",)

    def get_breadcrumbs(self):
        series = self.object.series
        return [
            home_crumb(),
            meetings_crumb(),
            (series.short_name or series.name, series.get_absolute_url()),
        ]

    def get_breadcrumb_label(self):
        return self.object.edition_label.capitalize()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = Programme.of(self.object)
        context["json_ld"] = json_ld_script(
            meeting_json_ld(self.object, absolute=self.request.build_absolute_uri)
        )
        return context

    def get_export_items(self):
        papers = (
            Paper.objects.presented_at(self.object)
            .with_citation_data()
            .order_by("presentations__position", "pk")
        )
        return papers_to_csl(papers, meeting=self.object)

    def get_export_filename(self):
        return f"{self.object.slug}-programme"


class TopicListView(PublicPageMixin, ListView):
    template_name = "conference/topic_list.html"
    query_parameters = ("sort", "page")
    paginate_by = 50
    sorts = {"name": ("name",), "works": ("-work_count", "name")}

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return "Topics"

    def get_queryset(self):
        self.sort = (
            self.request.GET.get("sort") if self.request.GET.get("sort") in self.sorts else "name"
        )
        return Topic.objects.with_counts().order_by(*self.sorts[self.sort])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = self.sort
        return context


class TopicDetailView(PublicPageMixin, DetailView):
    queryset = Topic.objects.all()
    context_object_name = "topic"
    query_parameters = ("page",)

    def get_breadcrumbs(self):
        return [home_crumb(), ("Topics", reverse("conference:topic_list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = page_of(
            self.request,
            Paper.objects.about_topic(self.object).with_authors(),
            per_page=WORKS_PER_PAGE,
        )
        context["meetings"] = Meeting.objects.about_topic(self.object).with_series().newest_first()
        return context


class ProjectDetailView(PublicPageMixin, DetailView):
    queryset = Project.objects.all()
    context_object_name = "project"
    query_parameters = ("page",)

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = page_of(
            self.request,
            Paper.objects.based_on(self.object).with_authors(),
            per_page=WORKS_PER_PAGE,
        )
        context["supports"] = self.object.supports.select_related(
            "meeting", "meeting__series"
        ).order_by("-meeting__start_date")
        return context


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Words to search for",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
    )
    kind = forms.CharField(required=False)

    def clean_kind(self):
        # An unknown kind (an old or mistyped link) shows every kind rather than an error.
        kind = self.cleaned_data["kind"]
        return kind if kind in KINDS else ""


class SearchView(CitationExportMixin, PublicPageMixin, TemplateView):
    """The overview lists the first results of every kind; ``kind=`` pages through one."""

    template_name = "conference/search.html"
    query_parameters = ("q", "kind", "page", "format")

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return "Search"

    def get_export_items(self):
        form = SearchForm(self.request.GET)
        if not form.is_valid() or not form.cleaned_data["q"]:
            return []
        results = search_site(form.cleaned_data["q"], kind="works", limit=SEARCH_EXPORT_LIMIT)
        found = results.group("works").results
        ranked = {paper.pk: rank for rank, paper in enumerate(found)}
        papers = Paper.objects.filter(pk__in=ranked).with_citation_data()
        return papers_to_csl(sorted(papers, key=lambda paper: ranked[paper.pk]))

    def get_export_filename(self):
        return "search-results"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        context["export_limit"] = SEARCH_EXPORT_LIMIT
        if not form.is_valid() or not form.cleaned_data["q"]:
            return context
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        if kind:
            number = page_number(self.request)
            results = search_site(
                query,
                kind=kind,
                offset=(number - 1) * SEARCH_RESULTS_PER_PAGE,
                limit=SEARCH_RESULTS_PER_PAGE,
            )
            group = results.group(kind)
            context["kind_group"] = group
            context["results_page"] = known_page(
                self.request,
                group.results,
                per_page=SEARCH_RESULTS_PER_PAGE,
                total=group.total,
                number=number,
            )
            context["kind_counts"] = count_by_kind(query)
            context["past_last_page"] = number > 1 and not group.results
        else:
            results = search_site(query, limit=SEARCH_RESULTS_PER_KIND)
        context["results"] = results
        return context

    def render_to_response(self, context, **response_kwargs):
        if context["form"].errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def _calendar(name=None):
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name or settings.SITE_NAME)
    return calendar


def _meeting_event(meeting, request):
    event = Event()
    # The UID must not change when the meeting is edited, so calendars update the event.
    event.add("uid", f"{meeting.slug}@{slugify(settings.SITE_NAME)}")
    event.add("dtstamp", meeting.updated_at)
    event.add("summary", meeting.display_title)
    event.add("dtstart", meeting.start_date)
    # All-day events end on the day after the last day (RFC 5545: DTEND is exclusive).
    event.add("dtend", meeting.end_date + datetime.timedelta(days=1))
    location = ", ".join(part for part in (meeting.venue, meeting.place) if part)
    if location:
        event.add("location", location)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    event.add("url", url)
    description = "\n\n".join(part for part in (meeting.description, url) if part)
    event.add("description", description)
    return event


def _calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_ics(request, slug):
    meeting = get_object_or_404(Meeting.objects.with_series(), slug=slug)
    calendar = _calendar()
    calendar.add_component(_meeting_event(meeting, request))
    return _calendar_response(calendar, f"{meeting.slug}.ics")


def meetings_ics(request):
    calendar = _calendar()
    for meeting in Meeting.objects.with_series().newest_first():
        calendar.add_component(_meeting_event(meeting, request))
    return _calendar_response(calendar, "meetings.ics")


def series_ics(request, slug):
    series = get_object_or_404(Series, slug=slug)
    calendar = _calendar(series.name)
    for meeting in Meeting.objects.in_series(series).with_series().newest_first():
        calendar.add_component(_meeting_event(meeting, request))
    return _calendar_response(calendar, f"{series.slug}.ics")


def robots_txt(request):
    """Everything public may be crawled except the admin and the API; the sitemap lists it."""
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /api/",
        # Search results and downloads are endless combinations of the same records.
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FAVICON = Path(settings.BASE_DIR) / "static" / "favicon.ico"


@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``, where browsers and feed readers look for it without asking."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
