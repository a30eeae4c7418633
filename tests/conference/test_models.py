import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from conference.core.dates import format_date_range
from conference.core.text import ordinal
from conference.meetings.models import Meeting, Session
from tests.factories.conference import (
    CommitteeMemberFactory,
    MeetingFactory,
    MeetingSupportFactory,
    MeetingTopicFactory,
    ProjectFactory,
    RoomFactory,
    SeriesFactory,
    SessionChairFactory,
    SessionFactory,
)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_ordinal_names_editions(number, expected):
    assert ordinal(number) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2023, 5, 11), (2023, 5, 12), "11–12 May 2023"),
        ((2023, 5, 11), (2023, 5, 11), "11 May 2023"),
        ((2023, 5, 30), (2023, 6, 2), "30 May – 2 June 2023"),
        ((2023, 12, 30), (2024, 1, 2), "30 December 2023 – 2 January 2024"),
    ],
)
def test_date_range_reads_as_programmes_print_it(start, end, expected):
    assert format_date_range(datetime.date(*start), datetime.date(*end)) == expected


@pytest.mark.django_db
def test_meeting_ending_before_it_starts_is_rejected_by_form_validation():
    meeting = MeetingFactory.build(
        series=SeriesFactory(),
        start_date=datetime.date(2023, 5, 12),
        end_date=datetime.date(2023, 5, 11),
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "The meeting cannot end before it starts." in str(error.value)


@pytest.mark.django_db
def test_meeting_ending_before_it_starts_is_rejected_by_the_database():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end_date=datetime.date(2000, 1, 1))
    meeting.refresh_from_db()
    assert meeting.end_date == datetime.date(2023, 5, 12)


@pytest.mark.django_db
def test_meeting_title_defaults_to_edition_and_series():
    series = SeriesFactory(name="IIAS Study Group on ‘Coproduction of Public Services’")
    meeting = MeetingFactory(series=series, edition=10, title="")
    assert meeting.title == (
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’"
    )
    assert meeting.edition_label == "10th open meeting"


@pytest.mark.django_db
def test_two_meetings_of_one_series_cannot_share_an_edition():
    meeting = MeetingFactory(edition=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(series=meeting.series, edition=3)


@pytest.mark.django_db
def test_meeting_slugs_are_unique():
    MeetingFactory(slug="nijmegen-2023")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(slug="nijmegen-2023")


@pytest.mark.django_db
def test_acknowledgment_is_built_from_the_project_funding_data():
    project = ProjectFactory(
        acronym="inGOV",
        funder="European Union",
        programme="Horizon 2020 research and innovation programme",
        grant_agreement="962563",
    )
    support = MeetingSupportFactory(project=project, acknowledged=True)
    MeetingSupportFactory(meeting=support.meeting, acknowledged=False)
    assert support.meeting.acknowledgment_sentences() == [
        "This meeting was supported by the project inGOV, which received funding from the "
        "European Union’s Horizon 2020 research and innovation programme under Grant Agreement "
        "962563."
    ]


@pytest.mark.django_db
def test_series_with_meetings_cannot_be_deleted():
    meeting = MeetingFactory()
    with pytest.raises(ProtectedError):
        meeting.series.delete()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.django_db
def test_project_supporting_a_meeting_cannot_be_deleted():
    support = MeetingSupportFactory()
    with pytest.raises(ProtectedError):
        support.project.delete()


def messages_of(error):
    return error.value.message_dict


@pytest.mark.parametrize(
    ("country", "time_zone", "expected"),
    [
        ("NL", "", "Europe/Amsterdam"),
        ("US", "", "America/New_York"),
        ("BR", "", "America/Sao_Paulo"),
        ("US", "America/Los_Angeles", "America/Los_Angeles"),
        ("", "", "Europe/Brussels"),
    ],
)
def test_meeting_time_zone_is_its_own_or_its_countrys_or_the_sites(country, time_zone, expected):
    meeting = Meeting(country=country, time_zone=time_zone)

    assert meeting.zone_name == expected
    assert meeting.zone.key == expected


@pytest.mark.django_db
def test_meeting_time_zone_must_be_a_tz_database_name():
    meeting = MeetingFactory.build(series=SeriesFactory(), time_zone="Europe/Nijmegen")

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert messages_of(error) == {
        "time_zone": [
            "“Europe/Nijmegen” is not a time zone name of the tz database; write it as "
            "Region/City, e.g. Europe/Brussels."
        ]
    }


def test_meeting_days_run_from_first_to_last():
    meeting = Meeting(start_date=datetime.date(2023, 5, 30), end_date=datetime.date(2023, 6, 1))

    assert meeting.days == [
        datetime.date(2023, 5, 30),
        datetime.date(2023, 5, 31),
        datetime.date(2023, 6, 1),
    ]


@pytest.mark.django_db
def test_session_day_must_be_a_day_of_the_meeting():
    session = SessionFactory.build(meeting=MeetingFactory(), day=datetime.date(2023, 5, 13))

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert messages_of(error) == {
        "day": ["The day must be one of the meeting's days (11–12 May 2023); 13 May 2023 is not."]
    }


@pytest.mark.django_db
def test_session_must_end_after_it_starts():
    session = SessionFactory.build(
        meeting=MeetingFactory(), start_time=datetime.time(11), end_time=datetime.time(10, 30)
    )

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert messages_of(error)["end_time"] == [
        "The session ends after it starts: 10:30 is not after 11:00."
    ]


@pytest.mark.django_db
def test_session_ending_before_it_starts_is_refused_by_the_database():
    session = SessionFactory()
    Session.objects.filter(pk=session.pk).update(start_time=datetime.time(11))

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(end_time=datetime.time(10))


@pytest.mark.django_db
def test_two_sessions_in_one_room_may_not_overlap():
    room = RoomFactory(name="Aula 1")
    SessionFactory(
        meeting=room.meeting,
        room=room,
        title="Trust",
        start_time=datetime.time(9),
        end_time=datetime.time(10, 30),
    )
    later = SessionFactory.build(
        meeting=room.meeting, room=room, start_time=datetime.time(10), end_time=datetime.time(11)
    )

    with pytest.raises(ValidationError) as error:
        later.full_clean()

    assert messages_of(error) == {
        "room": [
            "Aula 1 is taken on 11 May from 09:00 to 10:30 by “Trust”: sessions in one room may "
            "not overlap."
        ]
    }


@pytest.mark.django_db
def test_back_to_back_sessions_and_other_rooms_or_days_do_not_overlap():
    room = RoomFactory()
    other_room = RoomFactory(meeting=room.meeting)
    meeting = room.meeting
    SessionFactory(
        meeting=meeting, room=room, start_time=datetime.time(9), end_time=datetime.time(10)
    )
    for candidate in [
        SessionFactory.build(
            meeting=meeting, room=room, start_time=datetime.time(10), end_time=datetime.time(11)
        ),
        SessionFactory.build(
            meeting=meeting,
            room=other_room,
            start_time=datetime.time(9),
            end_time=datetime.time(10),
        ),
        SessionFactory.build(
            meeting=meeting,
            room=room,
            day=meeting.end_date,
            start_time=datetime.time(9),
            end_time=datetime.time(10),
        ),
    ]:
        candidate.full_clean()


@pytest.mark.django_db
def test_session_room_must_belong_to_its_meeting():
    session = SessionFactory.build(meeting=MeetingFactory(), room=RoomFactory(name="Elsewhere"))

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert messages_of(error) == {"room": ["“Elsewhere” is a room of another meeting."]}


@pytest.mark.django_db
def test_session_slugs_are_unique_within_a_meeting_only():
    meeting = MeetingFactory()
    first = SessionFactory(meeting=meeting, title="Co-creation")
    second = SessionFactory(meeting=meeting, title="Co-creation")
    elsewhere = SessionFactory(title="Co-creation")

    assert (first.slug, second.slug, elsewhere.slug) == (
        "co-creation",
        "co-creation-2",
        "co-creation",
    )
    assert first.get_absolute_url() == f"/meetings/{meeting.slug}/sessions/co-creation/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "parent", "message"),
    [
        (
            "session",
            "meeting",
            "Two sessions of this meeting have the same position: give each its own.",
        ),
        ("room", "meeting", "Two rooms of this meeting have the same position: give each its own."),
        (
            "topic",
            "meeting",
            "Two announced topics of this meeting have the same position: give each its own.",
        ),
        (
            "committee",
            "meeting",
            "Two committee members of this meeting have the same position: give each its own.",
        ),
        (
            "chair",
            "session",
            "Two chairs of this session have the same position: give each its own.",
        ),
    ],
)
def test_positions_are_unique_within_their_list(factory, parent, message):
    factories = {
        "session": SessionFactory,
        "room": RoomFactory,
        "topic": MeetingTopicFactory,
        "committee": CommitteeMemberFactory,
        "chair": SessionChairFactory,
    }
    first = factories[factory](position=1)
    second = factories[factory].build(position=1, **{parent: getattr(first, parent)})
    if factory in {"topic", "committee", "chair"}:
        for name in ("topic", "person", "affiliation"):
            related = getattr(second, name, None)
            if related is not None and related.pk is None:
                related.save()
                setattr(second, name, related)

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert message in messages_of(error)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


@pytest.mark.django_db
def test_room_with_sessions_cannot_be_deleted():
    room = RoomFactory()
    SessionFactory(meeting=room.meeting, room=room)

    with pytest.raises(ProtectedError):
        room.delete()
