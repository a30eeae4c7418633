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
