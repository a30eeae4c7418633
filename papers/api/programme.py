"""A meeting's programme in the API, from the one reader of programmes (papers/programme.py).

``ProgrammeRepresentation`` turns the reader's records into the JSON the meeting detail and
the session detail answer: a 400-talk programme holds some 2,500 people and institutions, and
walking them through nested serializers would cost more than reading them. The serializers
below document that JSON (drf-spectacular reads them) and are what the tests check it
against; they are never run on the programme itself.
"""

from rest_framework import serializers

from conference.core.api.fields import HyperlinkedIdentityField, record_link_builder
from conference.core.api.summaries import SummarySerializer
from conference.meetings.models import Room, Session
from papers.api.summaries import PaperSummarySerializer
from people.api.summaries import InstitutionSummarySerializer, PersonSummarySerializer


class PersonAtSerializer(serializers.Serializer):
    """A presenter, chair or discussant, with their institution at the time."""

    position = serializers.IntegerField(help_text="1 for the first in the list.")
    person = PersonSummarySerializer()
    institution = InstitutionSummarySerializer(
        allow_null=True, help_text="The person's institution at the time of the meeting."
    )


class ContributorSerializer(PersonAtSerializer):
    is_presenter = serializers.BooleanField(help_text="Whether this author presented the work.")


class ProgrammeTalkSerializer(serializers.Serializer):
    """A talk: a work presented at the meeting, with all its authors in order (presenters
    marked), the presenters in the order they presented, and the discussants."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The talk in /api/presentations/.")
    position = serializers.IntegerField(
        help_text="Order in its session (or among the unscheduled talks)."
    )
    session = serializers.IntegerField(
        allow_null=True, help_text="Id of the talk's session; null for an unscheduled talk."
    )
    start_time = serializers.TimeField(allow_null=True, help_text="In the meeting's time zone.")
    end_time = serializers.TimeField(allow_null=True, help_text="In the meeting's time zone.")
    work = PaperSummarySerializer()
    presenters = PersonAtSerializer(many=True)
    authors = ContributorSerializer(many=True)
    discussants = PersonAtSerializer(many=True)


class RoomSummarySerializer(SummarySerializer):
    url = HyperlinkedIdentityField(view_name="api:room-detail")

    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "url"]


class ProgrammeSessionSerializer(serializers.Serializer):
    """A session of the programme: its day, times, room and chairs."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The session in /api/sessions/.")
    page_url = serializers.URLField(help_text="The session's public page.")
    slug = serializers.CharField(help_text="Unique within the meeting.")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Session.Kind.choices)
    day = serializers.DateField()
    start_time = serializers.TimeField(allow_null=True, help_text="In the meeting's time zone.")
    end_time = serializers.TimeField(allow_null=True, help_text="In the meeting's time zone.")
    room = RoomSummarySerializer(allow_null=True)
    chairs = PersonAtSerializer(many=True)
    description = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField(help_text="Order in the meeting's programme.")


class ProgrammeSessionInDaySerializer(ProgrammeSessionSerializer):
    talk_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the session's talks in order (the meeting's `programme` has them).",
    )


class ProgrammeDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    sessions = ProgrammeSessionInDaySerializer(
        many=True,
        help_text="In time order; sessions at the same time in other rooms run in parallel.",
    )


class ProgrammeRepresentation:
    """The JSON of a programme (``papers.programme.Programme``) for one request."""

    def __init__(self, context):
        request = context["request"]

        def link_builder(view_name, lookup="slug"):
            return record_link_builder(
                view_name, request=request, format=context.get("format"), lookup_url_kwarg=lookup
            )

        self.request = request
        self.paper_link = link_builder("api:paper-detail")
        self.person_link = link_builder("api:person-detail")
        self.institution_link = link_builder("api:institution-detail")
        self.talk_link = link_builder("api:presentation-detail", "pk")
        self.session_link = link_builder("api:session-detail", "pk")
        self.room_link = link_builder("api:room-detail", "pk")
        self.time = serializers.TimeField()
        self.people = {}
        self.institutions = {}

    def _time(self, value):
        return None if value is None else self.time.to_representation(value)

    def person(self, person):
        found = self.people.get(person.id)
        if found is None:
            found = self.people[person.id] = {
                "id": person.id,
                "slug": person.slug,
                "name": person.full_name,
                "url": self.person_link(person.slug),
            }
        return found

    def institution(self, institution):
        if institution is None:
            return None
        found = self.institutions.get(institution.id)
        if found is None:
            found = self.institutions[institution.id] = {
                "id": institution.id,
                "slug": institution.slug,
                "name": institution.name,
                "short_name": institution.short_name,
                "url": self.institution_link(institution.slug),
            }
        return found

    def people_at(self, rows):
        return [
            {
                "position": row.position,
                "person": self.person(row.person),
                "institution": self.institution(row.affiliation),
            }
            for row in rows
        ]

    def talk(self, talk, session_id):
        paper = talk.paper
        return {
            "id": talk.id,
            "url": self.talk_link(talk.id),
            "position": talk.position,
            "session": session_id,
            "start_time": self._time(talk.start),
            "end_time": self._time(talk.end),
            "work": {
                "id": paper.id,
                "slug": paper.slug,
                "title": paper.title,
                "type": paper.kind,
                "year": paper.year,
                "url": self.paper_link(paper.slug),
            },
            "presenters": [
                {
                    "position": author.presenter_position,
                    "person": self.person(author.person),
                    "institution": self.institution(author.affiliation),
                }
                for author in talk.presenters
            ],
            "authors": [
                {
                    "position": author.position,
                    "person": self.person(author.person),
                    "institution": self.institution(author.affiliation),
                    "is_presenter": author.is_presenter,
                }
                for author in talk.authors
            ],
            "discussants": self.people_at(talk.discussants),
        }

    def session(self, session):
        room = session.room
        return {
            "id": session.id,
            "url": self.session_link(session.id),
            "page_url": self.request.build_absolute_uri(session.url),
            "slug": session.slug,
            "title": session.title,
            "kind": session.kind,
            "day": session.day.isoformat(),
            "start_time": self._time(session.start),
            "end_time": self._time(session.end),
            "room": None
            if room is None
            else {
                "id": room.id,
                "name": room.name,
                "capacity": room.capacity,
                "url": self.room_link(room.id),
            },
            "chairs": self.people_at(session.chairs),
            "description": session.description,
            "position": session.position,
        }

    def talks(self, programme):
        """Every talk in programme order: day by day, session by session, then the
        unscheduled ones."""
        talks = [
            self.talk(talk, session.id) for session in programme.sessions for talk in session.talks
        ]
        return talks + [self.talk(talk, None) for talk in programme.unscheduled]

    def days(self, programme):
        return [
            {
                "date": day.date.isoformat(),
                "sessions": [
                    {**self.session(session), "talk_ids": [talk.id for talk in session.talks]}
                    for session in day.sessions
                ],
            }
            for day in programme.days
        ]

    def session_with_talks(self, programme):
        """The one session ``programme`` was read for, with its talks in full."""
        [session] = programme.sessions
        return {
            **self.session(session),
            "talks": [self.talk(talk, session.id) for talk in session.talks],
        }
