"""The site's one REST API router, mounted at /api/."""

from rest_framework.routers import DefaultRouter

from conference.meetings.api.views import ProjectViewSet, RoomViewSet, SeriesViewSet, TopicViewSet
from harvest.api.views import MeetingViewSet, PaperViewSet
from papers.api.views import PersonViewSet, PresentationViewSet, SessionViewSet
from people.api.views import InstitutionViewSet

router = DefaultRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("series", SeriesViewSet, basename="series")
router.register("topics", TopicViewSet, basename="topic")
router.register("papers", PaperViewSet, basename="paper")
router.register("presentations", PresentationViewSet, basename="presentation")
router.register("sessions", SessionViewSet, basename="session")
router.register("rooms", RoomViewSet, basename="room")
router.register("people", PersonViewSet, basename="person")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("projects", ProjectViewSet, basename="project")

app_name = "api"
urlpatterns = router.urls
