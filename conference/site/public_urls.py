"""Public pages of meetings, series, topics, projects and search, with their calendars and
schedules (the root urls include them at /)."""

from django.urls import path

from conference.site.views import calendars, home, meetings, search, topics

app_name = "conference"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("meetings.ics", calendars.meetings_ics, name="meetings_ics"),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<slug:slug>.ics", calendars.meeting_ics, name="meeting_ics"),
    path("meetings/<slug:slug>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<slug:slug>/schedule.xml", calendars.schedule_xml, name="meeting_schedule_xml"),
    path(
        "meetings/<slug:slug>/schedule.json", calendars.schedule_json, name="meeting_schedule_json"
    ),
    path(
        "meetings/<slug:meeting_slug>/sessions/<slug:slug>/",
        meetings.SessionDetailView.as_view(),
        name="session_detail",
    ),
    path(
        "meetings/<slug:meeting_slug>/sessions/<slug:slug>.ics",
        calendars.session_ics,
        name="session_ics",
    ),
    path("series/", meetings.SeriesListView.as_view(), name="series_list"),
    path("series/<slug:slug>.ics", calendars.series_ics, name="series_ics"),
    path("series/<slug:slug>/", meetings.SeriesDetailView.as_view(), name="series_detail"),
    path("topics/", topics.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", topics.TopicDetailView.as_view(), name="topic_detail"),
    path("projects/<slug:slug>/", topics.ProjectDetailView.as_view(), name="project_detail"),
    path("search/", search.SearchView.as_view(), name="search"),
]
