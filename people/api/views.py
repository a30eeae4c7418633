from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from conference.core.api.validation import run_service
from conference.core.api.viewsets import ArchiveViewSet
from people.api.filters import InstitutionFilter, PersonFilter
from people.api.serializers import (
    InstitutionSerializer,
    MergeSerializer,
    PersonSerializer,
)
from people.models import Institution, Person, RecordMerge
from people.services import merge_records


class UnifiedRecordMixin:
    """An old slug (of a record merged into another) answers 301 with the survivor's
    address; ``POST {slug}/merge/`` merges another record into this one."""

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            model = self.queryset.model
            slug = RecordMerge.objects.survivor_slug(model, kwargs[self.lookup_field])
            if slug is None:
                raise
            name = model._meta.model_name
            url = reverse(f"api:{name}-detail", kwargs={"slug": slug}, request=request)
            return Response(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": url})

    def check_merge_permissions(self, request):
        # Merging changes the survivor and deletes the other: both permissions are needed.
        model = self.queryset.model
        for action_name in ("change", "delete"):
            codename = f"{model._meta.app_label}.{action_name}_{model._meta.model_name}"
            if not request.user.has_perm(codename):
                self.permission_denied(request)

    @action(detail=True, methods=["post"], serializer_class=MergeSerializer)
    def merge(self, request, *args, **kwargs):
        """Merge the record named by ``merge`` into this one: every link moves here, the
        other's address redirects here, and an organizer can revert it in the admin."""
        survivor = self.get_object()
        self.check_merge_permissions(request)
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        model = self.queryset.model
        merged = get_object_or_404(model, slug=serializer.validated_data["merge"])
        run_service(
            serializer,
            merge_records,
            survivor=survivor,
            merged=merged,
            keep=serializer.validated_data["keep"],
            user=request.user,
        )
        # The action's own serializer_class is the request's (MergeSerializer); the answer
        # is the record's detail.
        detail = self.serializer_classes.get("retrieve", type(self).serializer_class)
        fresh = self.get_queryset().get(pk=survivor.pk)
        return Response(detail(fresh, context=self.get_serializer_context()).data)


class PersonViewSet(UnifiedRecordMixin, ArchiveViewSet):
    """People: authors, presenters and organizers, with their affiliations over time."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    search_fields = ["given_name", "family_name", "other_names", "orcid"]
    ordering_fields = ["family_name", "given_name", "updated_at"]
    ordering = ["family_name", "given_name"]

    def get_queryset(self):
        return Person.objects.with_affiliations()


class InstitutionViewSet(UnifiedRecordMixin, ArchiveViewSet):
    """Universities, institutes and organisations, with their names through time."""

    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    search_fields = ["name", "short_name", "names__name", "city"]
    ordering_fields = ["name", "short_name", "updated_at"]
    ordering = ["name"]

    def get_queryset(self):
        return (
            Institution.objects.with_names()
            .select_related("parent")
            .prefetch_related("predecessors", "successors")
        )
