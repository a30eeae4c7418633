"""The site's one REST API router, mounted at /api/."""

from rest_framework.routers import DefaultRouter

from conference.meetings.api.views import ProjectViewSet, SeriesViewSet, TopicViewSet
from harvest.api.views import MeetingViewSet, PaperViewSet
from papers.api.views import PresentationViewSet
from people.api.views import InstitutionViewSet, PersonViewSet

router = DefaultRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("series", SeriesViewSet, basename="series")
router.register("topics", TopicViewSet, basename="topic")
router.register("papers", PaperViewSet, basename="paper")
router.register("presentations", PresentationViewSet, basename="presentation")
router.register("people", PersonViewSet, basename="person")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("projects", ProjectViewSet, basename="project")

app_name = "api"
urlpatterns = router.urls
