from django_filters import rest_framework as filters

from conference.models import Meeting, Series, Topic


class MeetingFilter(filters.FilterSet):
    series = filters.ModelChoiceFilter(
        queryset=Series.objects.all(), to_field_name="slug", help_text="Slug of a series."
    )
    year = filters.NumberFilter(
        field_name="start_date", lookup_expr="year", help_text="Year the meeting started."
    )
    country = filters.CharFilter(
        lookup_expr="iexact", help_text="Two-letter country code, e.g. NL."
    )
    topic = filters.ModelChoiceFilter(
        field_name="meeting_topics__topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text="Slug of an announced topic.",
    )

    class Meta:
        model = Meeting
        fields = ["series", "year", "country", "topic"]
