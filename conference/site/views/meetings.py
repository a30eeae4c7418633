"""Public pages of meetings: the list, series, a meeting with its programme, its sessions."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from conference.core.pages import PublicPageMixin, home_crumb, page_of
from conference.meetings.models import Meeting, Series, Session
from papers.citations.csl import papers_to_csl
from papers.citations.metadata import json_ld_script, meeting_json_ld, session_json_ld
from papers.exports import CitationExportMixin
from papers.models import Paper
from papers.programme import Programme
from people.models import Person

# Up to this many talks, the meeting page shows the whole programme with every author's
# institution and each talk's discussants. A larger programme opens on its timetable: every
# session by day (time, room, title, chairs, how many talks), each linked to its page; a day's
# page (``?day=``) adds the talks with who presented them, and a session's page holds all its
# authors with their institutions and the discussants. So each page stays quick to load and
# to scroll, and any talk is two clicks from the meeting (README, "The programme in time").
DETAILED_PROGRAMME_TALKS = 60


def meetings_crumb():
    return (_("Meetings"), reverse("conference:meeting_list"))


class MeetingListView(PublicPageMixin, ListView):
    """Every meeting, newest first, by series and year."""

    template_name = "conference/meeting_list.html"
    query_parameters = ("series", "year", "page")
    paginate_by = 50

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return _("Meetings")

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
        return Series.objects.with_parent_organisation().with_meeting_counts().with_translations()

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return _("Meeting series")


class SeriesDetailView(CitationExportMixin, PublicPageMixin, DetailView):
    """A series: its editions, topics over time, everyone who presented or organized."""

    queryset = Series.objects.with_parent_organisation()
    context_object_name = "series"
    query_parameters = ("page", "format")
    people_per_page = 60

    def get_breadcrumbs(self):
        return [home_crumb(), (_("Meeting series"), reverse("conference:series_list"))]

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
    queryset = Meeting.objects.with_page_details().with_talk_counts(unscheduled=True)
    context_object_name = "meeting"
    query_parameters = ("format", "day")

    def get_breadcrumbs(self):
        series = self.object.series
        return [
            home_crumb(),
            meetings_crumb(),
            (series.short_name or series.name, series.get_absolute_url()),
        ]

    def get_breadcrumb_label(self):
        return capfirst(self.object.edition_label)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        detailed = meeting.talk_count <= DETAILED_PROGRAMME_TALKS
        day = self.request.GET.get("day", "")
        if detailed:
            programme = Programme.of(meeting)
        elif day:
            programme = Programme.one_day(
                meeting, day, unscheduled_count=meeting.unscheduled_talk_count
            )
        else:
            programme = Programme.overview(
                meeting, unscheduled_count=meeting.unscheduled_talk_count
            )
        context.update(
            programme=programme,
            detailed=detailed,
            session_count=sum(len(day.sessions) for day in programme.days),
        )
        context["json_ld"] = json_ld_script(
            meeting_json_ld(
                meeting,
                absolute=self.request.build_absolute_uri,
                programme=programme,
                with_works=detailed,
            )
        )
        return context

    def get_export_items(self):
        papers = Paper.objects.presented_at(self.object).with_citation_data().in_programme_order()
        return papers_to_csl(papers, meeting=self.object)

    def get_export_filename(self):
        return f"{self.object.slug}-programme"


class SessionDetailView(PublicPageMixin, DetailView):
    """One session: when and where, its chairs, its talks with every author and discussant,
    and the sessions before and after it in the programme."""

    context_object_name = "session"
    template_name = "conference/session_detail.html"
    query_parameters = ()

    def get_object(self, queryset=None):
        return get_object_or_404(
            Session.objects.select_related("meeting__series", "room"),
            meeting__slug=self.kwargs["meeting_slug"],
            slug=self.kwargs["slug"],
        )

    def get_breadcrumbs(self):
        meeting = self.object.meeting
        series = meeting.series
        return [
            home_crumb(),
            meetings_crumb(),
            (series.short_name or series.name, series.get_absolute_url()),
            (capfirst(meeting.edition_label), meeting.get_absolute_url()),
        ]

    def get_breadcrumb_label(self):
        return self.object.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object.meeting
        programme = Programme.of(meeting, session=self.object)
        record = next(session for day in programme.days for session in day.sessions)
        context["meeting"] = meeting
        context["record"] = record
        context["previous_session"], context["next_session"] = neighbours(
            Session.objects.of_meeting(meeting).in_programme_order(), self.object
        )
        context["json_ld"] = json_ld_script(
            {
                "@context": "https://schema.org",
                **session_json_ld(
                    record,
                    meeting=meeting,
                    absolute=self.request.build_absolute_uri,
                    with_talks=True,
                ),
                "superEvent": {
                    "@type": "Event",
                    "@id": self.request.build_absolute_uri(meeting.get_absolute_url()),
                    "name": meeting.display_title,
                },
            }
        )
        return context


def neighbours(sessions, session):
    """The sessions just before and after ``session`` in programme order (None at the ends),
    read as slugs and titles in one query."""
    rows = list(sessions.values("pk", "slug", "title", "meeting__slug"))
    index = next(index for index, row in enumerate(rows) if row["pk"] == session.pk)
    before = rows[index - 1] if index > 0 else None
    after = rows[index + 1] if index + 1 < len(rows) else None
    return before, after
