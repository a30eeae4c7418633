from django_filters import rest_framework as filters

from conference.core.api.filters import SlugFilter, YearFilter
from conference.meetings.models import Meeting, Topic
from papers.models import Paper, Presentation
from people.models import Institution, Person


class PaperFilter(filters.FilterSet):
    meeting = SlugFilter(
        Meeting,
        field_name="presentations__meeting",
        distinct=True,
        help_text="Slug of a meeting where the work was presented.",
    )
    topic = SlugFilter(Topic, field_name="topics", distinct=True, help_text="Slug of a topic.")
    author = SlugFilter(
        Person,
        field_name="authorships__person",
        distinct=True,
        help_text="Slug of a person who wrote the work.",
    )
    institution = SlugFilter(
        Institution,
        field_name="authorships__affiliation",
        distinct=True,
        help_text="Slug of an institution an author was affiliated with for the work.",
    )
    year = YearFilter(help_text="Year of publication or presentation.")
    type = filters.ChoiceFilter(field_name="kind", choices=Paper.Kind.choices)

    class Meta:
        model = Paper
        fields = ["meeting", "topic", "author", "institution", "year", "type"]


class PresentationFilter(filters.FilterSet):
    meeting = SlugFilter(Meeting, help_text="Slug of a meeting.")
    work = SlugFilter(Paper, field_name="paper", help_text="Slug of the presented work.")
    presenter = SlugFilter(
        Person,
        field_name="presenters__authorship__person",
        distinct=True,
        help_text="Slug of a person who presented.",
    )

    class Meta:
        model = Presentation
        fields = ["meeting", "work", "presenter"]
