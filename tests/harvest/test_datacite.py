"""DataCite Metadata Schema 4.7: every work and meeting validates against the official XSD."""

import pytest
from lxml import etree

from conference.meetings.models import Meeting
from papers.models import Paper
from people.models import Person

NS = "{http://datacite.org/schema/kernel-4}"
MEDIA_TYPE = "application/vnd.datacite.datacite+xml"
TALK = "/papers/sustainability-and-co-creation-in-public-sector-organisations/datacite.xml"
ARTICLE = "/papers/edelmann-2023-impact-sustainability-co-creation/datacite.xml"
MEETING = "/meetings/coproduction-2023-nijmegen/datacite.xml"


def fetch(client, schema, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    schema.validate(response.content)
    return etree.fromstring(response.content)


def creators(document):
    return [
        (
            creator.findtext(f"{NS}creatorName"),
            creator.findtext(f"{NS}nameIdentifier"),
            [
                (affiliation.text, affiliation.get("affiliationIdentifier"))
                for affiliation in creator.findall(f"{NS}affiliation")
            ],
        )
        for creator in document.iter(f"{NS}creator")
    ]


def funding(document):
    return [
        (
            reference.findtext(f"{NS}funderName"),
            reference.findtext(f"{NS}awardNumber"),
            reference.findtext(f"{NS}awardTitle"),
        )
        for reference in document.iter(f"{NS}fundingReference")
    ]


INGOV = (
    "European Union",
    "962563",
    "Inclusive Governance Models and ICT Tools for Integrated Public Service Co-Creation and "
    "Provision",
)


def test_demo_talk_was_presented_at_the_meeting_and_carries_the_grant(
    client, datacite_schema, demo_data
):
    document = fetch(client, datacite_schema, TALK)
    assert document.find(f"{NS}resourceType").get("resourceTypeGeneral") == "Presentation"
    assert creators(document) == [
        (
            "Edelmann, Noella",
            None,
            [("University for Continuing Education Krems", "https://ror.org/03ef4a036")],
        ),
        ("Steen, Trui", None, [("KU Leuven", "https://ror.org/05f950310")]),
        ("van Dijk, Charlotte", None, [("KU Leuven", "https://ror.org/05f950310")]),
    ]
    assert funding(document) == [INGOV]
    related = [
        (
            r.get("relationType"),
            r.get("relationTypeInformation"),
            r.get("resourceTypeGeneral"),
            r.text,
        )
        for r in document.iter(f"{NS}relatedIdentifier")
    ]
    assert related == [
        (
            "Other",
            "was presented at",
            "Event",
            "http://testserver/meetings/coproduction-2023-nijmegen/",
        ),
        ("Continues", None, None, "10.3390/admsci13020043"),
    ]
    assert (
        document.findtext(f"{NS}publisher") == "International Institute of Administrative Sciences"
    )
    assert [d.text for d in document.iter(f"{NS}date") if d.get("dateType") == "Issued"] == [
        "2023-05-11"
    ]


def test_demo_article_is_a_journal_article_with_its_doi(client, datacite_schema, demo_data):
    document = fetch(client, datacite_schema, ARTICLE)
    identifier = document.find(f"{NS}identifier")
    assert (identifier.get("identifierType"), identifier.text) == ("DOI", "10.3390/admsci13020043")
    assert document.find(f"{NS}resourceType").get("resourceTypeGeneral") == "JournalArticle"
    assert [name for name, _, _ in creators(document)] == ["Edelmann, Noella", "Virkar, Shefali"]
    assert funding(document) == [INGOV]
    assert document.findtext(f"{NS}publisher") == "MDPI"
    item = document.find(f".//{NS}relatedItem")
    assert item.get("relationType") == "IsPublishedIn"
    assert [item.findtext(f"{NS}{tag}") for tag in ("volume", "issue", "firstPage")] == [
        "13",
        "2",
        "43",
    ]


def test_orcid_is_a_name_identifier_where_recorded(client, datacite_schema, demo_data):
    Person.objects.filter(slug="noella-edelmann").update(orcid="0000-0002-1825-0097")
    (first, second) = creators(fetch(client, datacite_schema, ARTICLE))
    assert first[1] == "https://orcid.org/0000-0002-1825-0097"
    assert second[1] is None


def test_meeting_is_an_event_with_its_committee_and_funding(client, datacite_schema, demo_data):
    document = fetch(client, datacite_schema, MEETING)
    assert document.find(f"{NS}resourceType").get("resourceTypeGeneral") == "Event"
    assert document.findtext(f".//{NS}creatorName") == (
        "IIAS Study Group on ‘Coproduction of Public Services’"
    )
    assert [c.findtext(f"{NS}contributorName") for c in document.iter(f"{NS}contributor")][:3] == [
        "Steen, Trui",
        "Nabatchi, Tina",
        "Brand, Dirk",
    ]
    assert funding(document)[0] == INGOV
    assert document.findtext(f".//{NS}geoLocationPlace") == "Nijmegen, Netherlands"


def test_content_negotiation_on_the_api_details(client, datacite_schema, demo_data):
    paper = fetch(
        client,
        datacite_schema,
        "/api/papers/edelmann-2023-impact-sustainability-co-creation/",
        HTTP_ACCEPT=MEDIA_TYPE,
    )
    assert paper.findtext(f"{NS}identifier") == "10.3390/admsci13020043"
    meeting = fetch(
        client, datacite_schema, "/api/meetings/coproduction-2023-nijmegen/", HTTP_ACCEPT=MEDIA_TYPE
    )
    assert meeting.find(f"{NS}resourceType").get("resourceTypeGeneral") == "Event"
    assert client.get("/api/papers/nothing-here/", HTTP_ACCEPT=MEDIA_TYPE).status_code == 404
    assert client.get("/papers/nothing-here/datacite.xml").status_code == 404


def test_every_generated_work_and_meeting_validates(client, datacite_schema, generated_archive):
    kinds = set()
    for slug in Paper.objects.values_list("slug", flat=True):
        document = fetch(client, datacite_schema, f"/papers/{slug}/datacite.xml")
        kinds.add(document.find(f"{NS}resourceType").get("resourceTypeGeneral"))
    assert {"Presentation", "JournalArticle", "BookChapter", "Report"} <= kinds
    for slug in Meeting.objects.values_list("slug", flat=True):
        fetch(client, datacite_schema, f"/meetings/{slug}/datacite.xml")


def test_generated_identifiers_appear_where_recorded(client, datacite_schema, generated_archive):
    paper = Paper.objects.filter(
        authorships__person__orcid__gt="", authorships__affiliation__ror_id__gt=""
    ).first()
    document = fetch(client, datacite_schema, f"/papers/{paper.slug}/datacite.xml")
    xml = etree.tostring(document).decode()
    for authorship in paper.authorships.select_related("person", "affiliation"):
        if authorship.person.orcid:
            assert f"https://orcid.org/{authorship.person.orcid}" in xml
        if authorship.affiliation and authorship.affiliation.ror_id:
            assert f"https://ror.org/{authorship.affiliation.ror_id}" in xml


@pytest.mark.parametrize("url", [TALK, MEETING])
def test_datacite_matches_the_official_presentation_example_shape(
    client, datacite_schema, demo_data, url
):
    document = fetch(client, datacite_schema, url)
    # The example's required properties, all present.
    for tag in ("identifier", "creators", "titles", "publisher", "publicationYear", "resourceType"):
        assert document.find(f"{NS}{tag}") is not None
