from django_filters import rest_framework as filters

from conference.core.api.filters import SlugFilter, YearFilter
from conference.meetings.models import Meeting, Series, Topic


class MeetingFilter(filters.FilterSet):
    series = SlugFilter(Series, help_text="Slug of a series.")
    year = YearFilter(
        field_name="start_date", lookup_expr="year", help_text="Year the meeting started."
    )
    country = filters.CharFilter(
        lookup_expr="iexact", help_text="Two-letter country code, e.g. NL."
    )
    topic = SlugFilter(
        Topic,
        field_name="meeting_topics__topic",
        distinct=True,
        help_text="Slug of an announced topic.",
    )

    class Meta:
        model = Meeting
        fields = ["series", "year", "country", "topic"]
