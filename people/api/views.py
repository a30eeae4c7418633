from conference.core.api.viewsets import ArchiveViewSet
from people.api.filters import InstitutionFilter, PersonFilter
from people.api.serializers import InstitutionSerializer, PersonDetailSerializer, PersonSerializer
from people.models import Institution, Person


class PersonViewSet(ArchiveViewSet):
    """People: authors, presenters and organizers, with their affiliations over time."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    serializer_classes = {"retrieve": PersonDetailSerializer}
    filterset_class = PersonFilter
    search_fields = ["given_name", "family_name", "orcid"]
    ordering_fields = ["family_name", "given_name", "updated_at"]
    ordering = ["family_name", "given_name"]

    def get_queryset(self):
        queryset = Person.objects.with_affiliations()
        return queryset.with_works() if self.action == "retrieve" else queryset


class InstitutionViewSet(ArchiveViewSet):
    """Universities, institutes and organisations."""

    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    search_fields = ["name", "short_name", "other_names", "city"]
    ordering_fields = ["name", "short_name", "updated_at"]
    ordering = ["name"]
