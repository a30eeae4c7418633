"""The API's work and meeting viewsets, answering DataCite XML by ``Accept`` as well.

The site's router (conference/api_router.py) registers these in place of the papers and
meetings apps' own viewsets, which stay unaware of harvest formats.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view

from conference.meetings.api.serializers import MeetingDetailSerializer
from conference.meetings.api.views import MeetingViewSet as BaseMeetingViewSet
from harvest import datacite, items
from harvest.api.renderers import DATACITE_RESPONSE, DataCiteNegotiationMixin
from papers.api.renderers import citation_responses
from papers.api.serializers import PaperDetailSerializer
from papers.api.views import PaperViewSet as BasePaperViewSet


@extend_schema_view(
    retrieve=extend_schema(
        responses={**citation_responses(PaperDetailSerializer), **DATACITE_RESPONSE}
    )
)
class PaperViewSet(DataCiteNegotiationMixin, BasePaperViewSet):
    __doc__ = (
        f"{BasePaperViewSet.__doc__.rstrip()}\n\n"
        "    A work's detail also answers ``application/vnd.datacite.datacite+xml``: its\n"
        "    DataCite Metadata Schema 4.7 record.\n"
    )

    def get_datacite_queryset(self):
        return items.works_for_harvest()

    def datacite_resource(self, paper, request):
        return datacite.work_resource(paper, absolute=request.build_absolute_uri)


@extend_schema_view(
    retrieve=extend_schema(
        responses={(200, "application/json"): MeetingDetailSerializer, **DATACITE_RESPONSE}
    )
)
class MeetingViewSet(DataCiteNegotiationMixin, BaseMeetingViewSet):
    __doc__ = (
        f"{BaseMeetingViewSet.__doc__.rstrip()}\n\n"
        "    A meeting's detail also answers ``application/vnd.datacite.datacite+xml``: its\n"
        "    DataCite record as an Event.\n"
    )

    def get_datacite_queryset(self):
        return items.meetings_for_harvest()

    def datacite_resource(self, meeting, request):
        return datacite.meeting_resource(meeting, absolute=request.build_absolute_uri)
