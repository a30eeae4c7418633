from django_filters import rest_framework as filters

from conference.core.api.filters import SlugFilter, TrueOrFalseFilter, YearFilter
from conference.meetings.models import Meeting, Room, Session, Topic
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
    session = filters.ModelChoiceFilter(
        queryset=Session.objects.all(), help_text="Id of a session."
    )
    unscheduled = TrueOrFalseFilter(
        field_name="session", lookup_expr="isnull", help_text="Only talks without a session."
    )

    class Meta:
        model = Presentation
        fields = ["meeting", "work", "presenter", "session", "unscheduled"]


class SessionFilter(filters.FilterSet):
    meeting = SlugFilter(Meeting, help_text="Slug of a meeting.")
    day = filters.DateFilter(help_text="A date, e.g. 2023-05-11.")
    room = filters.ModelChoiceFilter(queryset=Room.objects.all(), help_text="Id of a room.")
    kind = filters.ChoiceFilter(choices=Session.Kind.choices)

    class Meta:
        model = Session
        fields = ["meeting", "day", "room", "kind"]
