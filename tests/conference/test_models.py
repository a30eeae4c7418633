import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from conference.core.dates import format_date_range
from conference.meetings.models import Meeting, ordinal
from tests.factories.conference import (
    MeetingFactory,
    MeetingSupportFactory,
    ProjectFactory,
    SeriesFactory,
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
