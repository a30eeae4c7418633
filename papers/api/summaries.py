"""Compact summaries of this app's records (see ``conference.core.api.summaries``)."""

from rest_framework import serializers

from conference.core.api.fields import HyperlinkedIdentityField
from conference.core.api.summaries import SummarySerializer
from papers.models import Paper


class PaperSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:paper-detail", lookup_field="slug")
    type = serializers.ChoiceField(source="kind", choices=Paper.Kind.choices, read_only=True)

    class Meta:
        model = Paper
        fields = ["id", "slug", "title", "type", "year", "url"]
