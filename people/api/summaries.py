"""Compact summaries of this app's records (see ``conference.core.api.summaries``)."""

from rest_framework import serializers

from conference.core.api.fields import HyperlinkedIdentityField
from conference.core.api.summaries import SummarySerializer
from people.models import Institution, Person


class InstitutionSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:institution-detail", lookup_field="slug")

    class Meta:
        model = Institution
        fields = ["id", "slug", "name", "short_name", "url"]


class PersonSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "slug", "name", "url"]
