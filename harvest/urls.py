from django.urls import path

from harvest import views

app_name = "harvest"

urlpatterns = [
    path("oai/", views.oai_pmh, name="oai"),
    path("papers/<slug:slug>/datacite.xml", views.paper_datacite, name="paper_datacite"),
    path("meetings/<slug:slug>/datacite.xml", views.meeting_datacite, name="meeting_datacite"),
]
