import datetime

import factory

from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Project,
    Series,
    Topic,
)
from tests.factories.people import InstitutionFactory, PersonFactory


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
    position = factory.Sequence(lambda n: n + 1)


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
    position = factory.Sequence(lambda n: n + 1)
