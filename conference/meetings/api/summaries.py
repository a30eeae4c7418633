"""Compact summaries of this app's records (see ``conference.core.api.summaries``)."""

from rest_framework import serializers

from conference.core.api.fields import HyperlinkedIdentityField
from conference.core.api.summaries import SummarySerializer
from conference.meetings.models import Meeting, Project, Series, Topic


class SeriesSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:series-detail", lookup_field="slug")

    class Meta:
        model = Series
        fields = ["id", "slug", "name", "short_name", "url"]


class MeetingSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="slug")

    class Meta:
        model = Meeting
        fields = ["id", "slug", "title", "start_date", "end_date", "url"]


class TopicSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "url"]


class ProjectSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="slug")
    name = serializers.CharField(source="acronym", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "slug", "name", "grant_agreement", "url"]
