from django import forms
from django_filters import rest_framework as filters

from conference.models import Meeting, Series, Topic


class SlugFilter(filters.ModelChoiceFilter):
    """Filters by a related record given by its slug (``?author=trui-steen``); an unknown slug
    is a 400. ``distinct`` for paths through to-many relations, which would repeat rows."""

    def __init__(self, model, *, help_text, field_name=None, distinct=False):
        super().__init__(
            field_name=field_name,
            queryset=model.objects.all(),
            to_field_name="slug",
            distinct=distinct,
            help_text=help_text,
        )


class YearFilter(filters.NumberFilter):
    """A four-digit year: anything else is a 400, never a query that overflows the database."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1000, max_value=2999, **kwargs)


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
