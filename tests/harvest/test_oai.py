"""OAI-PMH 2.0 at /oai/: every verb and error, each response valid against OAI-PMH.xsd and
the schemas of the metadata it carries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.meetings.models import Meeting
from harvest import oai as protocol
from papers.models import Paper
from tests.factories.conference import MeetingFactory
from tests.factories.papers import create_programme
from tests.harvest.conftest import OAI, errors

REPOSITORY = "archive.localhost"
TALK = f"oai:{REPOSITORY}:paper/sustainability-and-co-creation-in-public-sector-organisations"
ARTICLE = f"oai:{REPOSITORY}:paper/edelmann-2023-impact-sustainability-co-creation"
MEETING = f"oai:{REPOSITORY}:meeting/coproduction-2023-nijmegen"
SERIES_SET = "coproduction-of-public-services"
MEETING_SET = "coproduction-of-public-services:coproduction-2023-nijmegen"
DC = "{http://purl.org/dc/elements/1.1/}"
DATACITE = "{http://datacite.org/schema/kernel-4}"


def texts(document, tag):
    return [element.text for element in document.iter(tag)]


def identifiers(document):
    return texts(document, f"{OAI}identifier")


def test_identify_names_the_repository_and_its_identifier_scheme(oai, demo_data):
    document = oai(verb="Identify")
    identify = document.find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}repositoryName") == "Scholarly Meetings Archive"
    assert identify.findtext(f"{OAI}baseURL") == "http://testserver/oai/"
    assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(f"{OAI}deletedRecord") == "transient"
    earliest = min(Paper.objects.values_list("updated_at", flat=True))
    assert identify.findtext(f"{OAI}earliestDatestamp") == protocol.format_datestamp(earliest)
    scheme = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
    assert document.findtext(f".//{scheme}repositoryIdentifier") == REPOSITORY
    assert document.findtext(f".//{scheme}sampleIdentifier").startswith(f"oai:{REPOSITORY}:")


def test_identify_uses_the_configured_repository_identifier(oai, demo_data, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "meetings.example.org"
    settings.OAI_ADMIN_EMAIL = "archive@example.org"
    document = oai(verb="Identify")
    assert document.findtext(f".//{OAI}adminEmail") == "archive@example.org"
    listed = identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc"))
    assert "oai:meetings.example.org:paper/edelmann-2023-impact-sustainability-co-creation" in (
        listed
    )


def test_list_metadata_formats(oai, demo_data):
    for arguments in ({}, {"identifier": TALK}):
        document = oai(verb="ListMetadataFormats", **arguments)
        assert texts(document, f"{OAI}metadataPrefix") == ["oai_dc", "oai_datacite"]
        assert texts(document, f"{OAI}metadataNamespace") == [
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
            "http://datacite.org/schema/kernel-4",
        ]


def test_list_sets_has_the_series_and_its_meetings(oai, demo_data):
    document = oai(verb="ListSets")
    assert texts(document, f"{OAI}setSpec") == [SERIES_SET, MEETING_SET]
    assert texts(document, f"{OAI}setName") == [
        "IIAS Study Group on ‘Coproduction of Public Services’",
        "10th open meeting of the IIAS Study Group on ‘Coproduction of Public Services’",
    ]


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
def test_list_records_holds_every_work_and_meeting(oai, demo_data, prefix):
    document = oai(verb="ListRecords", metadataPrefix=prefix)
    assert sorted(identifiers(document)) == sorted([ARTICLE, MEETING, TALK])
    assert document.find(f".//{OAI}resumptionToken") is None


def test_records_carry_their_sets(oai, demo_data):
    document = oai(verb="GetRecord", identifier=TALK, metadataPrefix="oai_dc")
    assert texts(document, f"{OAI}setSpec") == [SERIES_SET, MEETING_SET]
    document = oai(verb="GetRecord", identifier=ARTICLE, metadataPrefix="oai_dc")
    assert texts(document, f"{OAI}setSpec") == []


def test_get_record_in_dublin_core(oai, demo_data):
    document = oai(verb="GetRecord", identifier=ARTICLE, metadataPrefix="oai_dc")
    assert texts(document, f"{DC}title") == [
        "The Impact of Sustainability on Co-Creation of Digital Public Services"
    ]
    assert texts(document, f"{DC}creator") == ["Edelmann, Noella", "Virkar, Shefali"]
    assert texts(document, f"{DC}date") == ["2023-02-05"]
    assert texts(document, f"{DC}type") == ["Text", "info:eu-repo/semantics/article"]
    assert texts(document, f"{DC}identifier") == [
        "http://testserver/papers/edelmann-2023-impact-sustainability-co-creation/",
        "https://doi.org/10.3390/admsci13020043",
    ]
    assert texts(document, f"{DC}source") == ["Administrative Sciences, vol. 13, no. 2, p. 43"]


def test_get_record_in_datacite(oai, demo_data):
    document = oai(verb="GetRecord", identifier=TALK, metadataPrefix="oai_datacite")
    assert document.find(f".//{DATACITE}resourceType").get("resourceTypeGeneral") == (
        "Presentation"
    )
    assert texts(document, f"{DATACITE}awardNumber") == ["962563"]


def test_set_selects_the_meetings_records(oai, demo_data):
    for spec in (SERIES_SET, MEETING_SET):
        document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        assert sorted(identifiers(document)) == [MEETING, TALK]


def _touch(slug, moment):
    Paper.objects.filter(slug=slug).update(updated_at=moment)


def test_from_and_until_at_day_and_second_granularity(oai, demo_data):
    utc = datetime.UTC
    _touch(
        "edelmann-2023-impact-sustainability-co-creation",
        datetime.datetime(2024, 3, 1, 10, 0, 0, 500000, utc),
    )
    _touch(
        "sustainability-and-co-creation-in-public-sector-organisations",
        datetime.datetime(2024, 3, 2, 9, 30, tzinfo=utc),
    )
    Meeting.objects.update(updated_at=datetime.datetime(2024, 3, 3, tzinfo=utc))

    def listed(**bounds):
        document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        if errors(document):
            return errors(document)
        return sorted(identifiers(document))

    assert listed(**{"from": "2024-03-01", "until": "2024-03-01"}) == [ARTICLE]
    assert listed(**{"from": "2024-03-02"}) == [MEETING, TALK]
    assert listed(until="2024-03-02") == [ARTICLE, TALK]
    assert listed(until="2024-03-01T10:00:00Z") == [ARTICLE]
    assert listed(until="2024-03-01T09:59:59Z") == ["noRecordsMatch"]
    assert listed(**{"from": "2024-03-01T10:00:01Z", "until": "2024-03-02T09:30:00Z"}) == [TALK]
    document = oai(verb="GetRecord", identifier=ARTICLE, metadataPrefix="oai_dc")
    assert texts(document, f"{OAI}datestamp") == ["2024-03-01T10:00:00Z"]


def test_datestamps_are_utc(oai, demo_data):
    # 00:30 in Brussels on 2 March is 23:30 UTC on 1 March.
    brussels = datetime.timezone(datetime.timedelta(hours=1))
    _touch(
        "edelmann-2023-impact-sustainability-co-creation",
        datetime.datetime(2024, 3, 2, 0, 30, tzinfo=brussels),
    )
    document = oai(verb="GetRecord", identifier=ARTICLE, metadataPrefix="oai_dc")
    assert texts(document, f"{OAI}datestamp") == ["2024-03-01T23:30:00Z"]
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-03-01")
    assert identifiers(document) == [ARTICLE]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": TALK}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListIdentifiers", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": TALK, "metadataPrefix": "marc21"},
            "cannotDisseminateFormat",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:elsewhere.org:paper/x",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": f"oai:{REPOSITORY}:paper/nobody",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": f"oai:{REPOSITORY}:meeting/none"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "no-such-series"},
            "noRecordsMatch",
        ),
    ],
)
def test_error_conditions(oai, demo_data, arguments, code):
    document = oai(**arguments)
    assert errors(document) == [code]
    assert document.find(f"{OAI}error").text
    request = document.find(f"{OAI}request")
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}
    else:
        assert dict(request.attrib) == arguments


def test_repeated_argument_is_a_bad_argument(client, oai_schema, demo_data):
    response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    oai_schema.validate(response.content)
    assert b'code="badArgument"' in response.content


def test_unknown_identifier_and_format_are_both_reported(oai, demo_data):
    document = oai(verb="GetRecord", identifier=f"oai:{REPOSITORY}:paper/x", metadataPrefix="x")
    assert errors(document) == ["cannotDisseminateFormat", "idDoesNotExist"]


def test_no_set_hierarchy_without_series(oai, db):
    assert errors(oai(verb="ListSets")) == ["noSetHierarchy"]
    document = oai(verb="ListRecords", metadataPrefix="oai_dc", set="a")
    assert errors(document) == ["noSetHierarchy"]


def test_empty_archive_has_no_records(oai, db):
    assert errors(oai(verb="ListRecords", metadataPrefix="oai_dc")) == ["noRecordsMatch"]
    oai(verb="Identify")


def test_post_is_answered_like_get(client, oai_schema, demo_data):
    response = client.post(
        "/oai/", {"verb": "GetRecord", "identifier": TALK, "metadataPrefix": "oai_dc"}
    )
    oai_schema.validate(response.content)
    assert TALK.encode() in response.content


def test_deleted_work_is_reported_with_its_deletion_time(oai, demo_data):
    article = Paper.objects.get(slug="edelmann-2023-impact-sustainability-co-creation")
    article.relations_in.all().delete()
    article.delete()
    deleted_at = Paper.history.filter(history_type="-").get().history_date
    document = oai(verb="GetRecord", identifier=ARTICLE, metadataPrefix="oai_datacite")
    header = document.find(f".//{OAI}header")
    assert header.get("status") == "deleted"
    assert header.findtext(f"{OAI}datestamp") == protocol.format_datestamp(deleted_at)
    assert document.find(f".//{OAI}metadata") is None
    listed = oai(verb="ListRecords", metadataPrefix="oai_dc")
    statuses = {
        header.findtext(f"{OAI}identifier"): header.get("status")
        for header in listed.iter(f"{OAI}header")
    }
    assert statuses == {ARTICLE: "deleted", MEETING: None, TALK: None}


def test_deleted_talk_stays_in_its_meetings_set(oai, demo_data):
    talk = Paper.objects.get(slug="sustainability-and-co-creation-in-public-sector-organisations")
    for presentation in talk.presentations.all():
        presentation.presenters.all().delete()
        presentation.delete()
    talk.relations_out.all().delete()
    talk.delete()
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=MEETING_SET)
    headers = {
        h.findtext(f"{OAI}identifier"): h.get("status") for h in document.iter(f"{OAI}header")
    }
    assert headers == {MEETING: None, TALK: "deleted"}


def test_recreated_record_is_not_reported_deleted(oai, demo_data):
    article = Paper.objects.get(slug="edelmann-2023-impact-sustainability-co-creation")
    article.relations_in.all().delete()
    article.delete()
    Paper.objects.create(slug="edelmann-2023-impact-sustainability-co-creation", title="Again")
    document = oai(verb="GetRecord", identifier=ARTICLE, metadataPrefix="oai_dc")
    assert document.find(f".//{OAI}header").get("status") is None


def _harvest(oai, verb, **arguments):
    """Every page of a list: ``(identifiers, tokens)``."""
    document = oai(verb=verb, **arguments)
    seen, tokens = [], []
    while True:
        seen += [h.findtext(f"{OAI}identifier") for h in document.iter(f"{OAI}header")]
        token = document.find(f".//{OAI}resumptionToken")
        if token is None:
            return seen, tokens
        tokens.append(token)
        if not token.text:
            return seen, tokens
        document = oai(verb=verb, resumptionToken=token.text)


def test_resumption_tokens_page_through_large_lists(oai, db):
    meeting = MeetingFactory()
    create_programme(meeting, papers=250, authors_per_paper=1)
    seen, tokens = _harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc")
    assert len(seen) == len(set(seen)) == 251
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [
        ("0", "251"),
        ("100", "251"),
        ("200", "251"),
    ]
    assert tokens[-1].text is None


def test_a_record_changed_during_a_harvest_is_not_missed(oai, db):
    meeting = MeetingFactory()
    create_programme(meeting, papers=150, authors_per_paper=1)
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(f".//{OAI}resumptionToken").text
    seen = identifiers(first)
    unseen = Paper.objects.exclude(slug__in=[i.rsplit("/", 1)[1] for i in seen]).first()
    unseen.title = "Renamed while harvesting"
    unseen.save()
    rest = oai(verb="ListIdentifiers", resumptionToken=token)
    assert f"oai:{REPOSITORY}:paper/{unseen.slug}" in identifiers(rest)
    assert len(set(seen + identifiers(rest))) == 151


def test_altered_token_is_refused(oai, db):
    meeting = MeetingFactory()
    create_programme(meeting, papers=120, authors_per_paper=1)
    token = oai(verb="ListRecords", metadataPrefix="oai_dc").find(f".//{OAI}resumptionToken").text
    assert errors(oai(verb="ListRecords", resumptionToken=token[:-2] + "xx")) == [
        "badResumptionToken"
    ]


def test_a_list_whose_rest_vanished_ends_with_no_records_match(oai, db):
    meeting = MeetingFactory()
    create_programme(meeting, papers=110, authors_per_paper=1)
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = [identifier.rsplit("/", 1)[1] for identifier in identifiers(first)]
    Paper.objects.exclude(slug__in=seen).update(
        updated_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    Meeting.objects.update(updated_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    token = first.find(f".//{OAI}resumptionToken").text
    assert errors(oai(verb="ListIdentifiers", resumptionToken=token)) == ["noRecordsMatch"]


def _list_records_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_datacite")
    assert response.status_code == 200
    return len(queries)


def test_list_records_page_runs_a_constant_number_of_queries(client, db):
    meeting = MeetingFactory()
    create_programme(meeting, papers=5, authors_per_paper=2)
    small = _list_records_queries(client)
    create_programme(MeetingFactory(), papers=300, authors_per_paper=4)
    large = _list_records_queries(client)
    assert small == large
    assert large <= 20
