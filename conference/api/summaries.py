"""Compact summaries of records, embedded wherever one record refers to another.

Each has the record's ``id``, ``slug``, name or title and API ``url``, so that a client can
draw a programme from one response and follow a link only when it wants more.
"""

from rest_framework import serializers

from conference.models import Meeting, Project, Series, Topic
from papers.models import Paper
from people.models import Institution, Person


class InstitutionSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:institution-detail", lookup_field="slug"
    )

    class Meta:
        model = Institution
        fields = ["id", "slug", "name", "short_name", "url"]


class PersonSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "slug", "name", "url"]


class SeriesSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:series-detail", lookup_field="slug")

    class Meta:
        model = Series
        fields = ["id", "slug", "name", "short_name", "url"]


class MeetingSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="slug")

    class Meta:
        model = Meeting
        fields = ["id", "slug", "title", "start_date", "end_date", "url"]


class TopicSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "url"]


class ProjectSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="slug")
    name = serializers.CharField(source="acronym", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "slug", "name", "grant_agreement", "url"]


class PaperSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:paper-detail", lookup_field="slug")
    type = serializers.ChoiceField(source="kind", choices=Paper.Kind.choices, read_only=True)

    class Meta:
        model = Paper
        fields = ["id", "slug", "title", "type", "year", "url"]
