from django.urls import path

from papers import views

app_name = "papers"

urlpatterns = [
    path("papers/", views.PaperListView.as_view(), name="paper_list"),
    path("papers/<slug:slug>/", views.PaperDetailView.as_view(), name="paper_detail"),
    path(
        "papers/<slug:slug>/cite.<slug:extension>",
        views.paper_citation,
        name="paper_citation",
    ),
]
