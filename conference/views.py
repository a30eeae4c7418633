"""Public pages of the meetings app: home, meeting, topic, project, search and calendars."""

import datetime

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.generic import DetailView, TemplateView
from icalendar import Calendar, Event

from conference.models import Meeting, Project, Topic
from conference.programme import Programme
from conference.search import MAX_QUERY_LENGTH, search_site
from papers.citations.csl import papers_to_csl
from papers.citations.metadata import json_ld_script, meeting_json_ld
from papers.exports import CitationExportMixin
from papers.models import Paper

SEARCH_RESULTS_PER_KIND = 10
# A search export holds at most this many works, best matches first.
SEARCH_EXPORT_LIMIT = 500


class PublicPageMixin:
    """Shared by every public detail page: the object's admin options for the staff Edit link."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["opts"] = self.object._meta
        return context


def group_by_series(meetings):
    """[(series, [meetings])] in the order the series first appear in ``meetings``."""
    groups = {}
    for meeting in meetings:
        groups.setdefault(meeting.series, []).append(meeting)
    return list(groups.items())


class HomeView(TemplateView):
    template_name = "conference/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(Meeting.objects.with_series().newest_first())
        context["upcoming_by_series"] = group_by_series(m for m in meetings if m.is_upcoming)
        context["past_by_series"] = group_by_series(m for m in meetings if not m.is_upcoming)
        return context


class MeetingDetailView(CitationExportMixin, PublicPageMixin, DetailView):
    queryset = Meeting.objects.with_page_details()
    context_object_name = "meeting"

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


class TopicDetailView(PublicPageMixin, DetailView):
    queryset = Topic.objects.all()
    context_object_name = "topic"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = Paper.objects.about_topic(self.object).with_authors()
        context["meetings"] = Meeting.objects.about_topic(self.object).with_series().newest_first()
        return context


class ProjectDetailView(PublicPageMixin, DetailView):
    queryset = Project.objects.all()
    context_object_name = "project"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = Paper.objects.based_on(self.object).with_authors()
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


class SearchView(CitationExportMixin, TemplateView):
    template_name = "conference/search.html"

    def get_export_items(self):
        form = SearchForm(self.request.GET)
        if not form.is_valid() or not form.cleaned_data["q"]:
            return []
        results = search_site(form.cleaned_data["q"], limit_per_kind=SEARCH_EXPORT_LIMIT)
        found = next(group.results for group in results.groups if group.kind == "works")
        ranked = {paper.pk: rank for rank, paper in enumerate(found)}
        papers = Paper.objects.filter(pk__in=ranked).with_citation_data()
        return papers_to_csl(sorted(papers, key=lambda paper: ranked[paper.pk]))

    def get_export_filename(self):
        return "search-results"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        if form.is_valid() and form.cleaned_data["q"]:
            context["results"] = search_site(
                form.cleaned_data["q"], limit_per_kind=SEARCH_RESULTS_PER_KIND
            )
        return context

    def render_to_response(self, context, **response_kwargs):
        if context["form"].errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", settings.SITE_NAME)
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
