import datetime

import factory

from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Project,
    Room,
    Series,
    Session,
    SessionChair,
    Topic,
)
from tests.factories.people import InstitutionFactory, PersonFactory
from tests.factories.positions import next_position


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Study Group on Testing {n}")
    parent_organisation = factory.SubFactory(InstitutionFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    series = factory.SubFactory(SeriesFactory)
    edition = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2023, 5, 11)
    end_date = factory.LazyAttribute(
        lambda meeting: meeting.start_date + datetime.timedelta(days=1)
    )
    city = "Nijmegen"
    country = "NL"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class MeetingTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingTopic

    meeting = factory.SubFactory(MeetingFactory)
    topic = factory.SubFactory(TopicFactory)
    position = factory.LazyAttribute(lambda row: next_position(MeetingTopic, meeting=row.meeting))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PRJ{n}")
    title = "A research project"
    funder = "European Union"
    programme = "Horizon 2020 research and innovation programme"
    grant_agreement = factory.Sequence(lambda n: f"{900000 + n}")


class MeetingSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSupport

    meeting = factory.SubFactory(MeetingFactory)
    project = factory.SubFactory(ProjectFactory)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    affiliation = factory.SubFactory(InstitutionFactory)
    position = factory.LazyAttribute(
        lambda row: next_position(CommitteeMember, meeting=row.meeting)
    )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 40
    position = factory.LazyAttribute(lambda row: next_position(Room, meeting=row.meeting))


class SessionFactory(factory.django.DjangoModelFactory):
    """A paper session on the meeting's first day, untimed and without a room unless given."""

    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Co-creation in practice {n}")
    day = factory.LazyAttribute(lambda session: session.meeting.start_date)
    position = factory.LazyAttribute(lambda row: next_position(Session, meeting=row.meeting))


class SessionChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionChair

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    affiliation = factory.SubFactory(InstitutionFactory)
    position = factory.LazyAttribute(lambda row: next_position(SessionChair, session=row.session))
