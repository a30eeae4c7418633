"""The public site of the meetings app (the root urls include it at /)."""

from django.urls import path

from conference.site.views import meetings as views

app_name = "conference"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<slug:slug>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<slug:slug>/schedule.xml", views.schedule_xml, name="meeting_schedule_xml"),
    path("meetings/<slug:slug>/schedule.json", views.schedule_json, name="meeting_schedule_json"),
    path(
        "meetings/<slug:meeting_slug>/sessions/<slug:slug>/",
        views.SessionDetailView.as_view(),
        name="session_detail",
    ),
    path(
        "meetings/<slug:meeting_slug>/sessions/<slug:slug>.ics",
        views.session_ics,
        name="session_ics",
    ),
    path("series/", views.SeriesListView.as_view(), name="series_list"),
    path("series/<slug:slug>.ics", views.series_ics, name="series_ics"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]
