from django_filters import rest_framework as filters

from conference.models import Meeting, Topic
from papers.models import Paper, Presentation
from people.models import Institution, Person


class PaperFilter(filters.FilterSet):
    meeting = filters.ModelChoiceFilter(
        field_name="presentations__meeting",
        queryset=Meeting.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text="Slug of a meeting where the work was presented.",
    )
    topic = filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text="Slug of a topic.",
    )
    author = filters.ModelChoiceFilter(
        field_name="authorships__person",
        queryset=Person.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text="Slug of a person who wrote the work.",
    )
    institution = filters.ModelChoiceFilter(
        field_name="authorships__affiliation",
        queryset=Institution.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text="Slug of an institution an author was affiliated with for the work.",
    )
    year = filters.NumberFilter(help_text="Year of publication or presentation.")
    type = filters.ChoiceFilter(field_name="kind", choices=Paper.Kind.choices)

    class Meta:
        model = Paper
        fields = ["meeting", "topic", "author", "institution", "year", "type"]


class PresentationFilter(filters.FilterSet):
    meeting = filters.ModelChoiceFilter(
        queryset=Meeting.objects.all(), to_field_name="slug", help_text="Slug of a meeting."
    )
    work = filters.ModelChoiceFilter(
        field_name="paper",
        queryset=Paper.objects.all(),
        to_field_name="slug",
        help_text="Slug of the presented work.",
    )
    presenter = filters.ModelChoiceFilter(
        field_name="presenters__authorship__person",
        queryset=Person.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text="Slug of a person who presented.",
    )

    class Meta:
        model = Presentation
        fields = ["meeting", "work", "presenter"]
