"""DataCite Metadata Schema 4.7 for works and meetings (``<resource>`` documents).

Served at ``/papers/<slug>/datacite.xml`` and ``/meetings/<slug>/datacite.xml``, by content
negotiation on the API details, as OAI-PMH's ``oai_datacite`` and in the DOI export. The
bibliographic core comes from the record's CSL-JSON item (harvest/items.py); identifiers,
affiliations, funding and relations come from the records. ``absolute`` turns a path into
the full URL (the request's, or SITE_URL outside a request).
"""

from django.conf import settings
from lxml import etree

from harvest import items
from papers.citations.dates import page_range
from papers.models import WorkRelation

NAMESPACE = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = "https://schema.datacite.org/meta/kernel-4.7/metadata.xsd"
MEDIA_TYPE = "application/vnd.datacite.datacite+xml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# How a relation between works reads from either end, when the other end has a DOI.
RELATION_TYPES = {
    WorkRelation.Kind.CITES: ("Cites", "IsCitedBy"),
    WorkRelation.Kind.EXTENDS: ("Continues", "IsContinuedBy"),
}


def _element(parent, tag, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _new_resource():
    resource = etree.Element(f"{{{NAMESPACE}}}resource", nsmap={None: NAMESPACE, "xsi": XSI})
    resource.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA_LOCATION}")
    return resource


def _identifier(resource, doi, url):
    """The DOI; a record without one is identified by its page, as OpenAIRE allows."""
    if doi:
        _element(resource, "identifier", doi, identifierType="DOI")
    else:
        _element(resource, "identifier", url, identifierType="URL")


def _affiliation(parent, institution):
    attributes = {}
    if institution.ror_id:
        attributes = {
            "affiliationIdentifier": institution.ror_url,
            "affiliationIdentifierScheme": "ROR",
            "schemeURI": "https://ror.org",
        }
    _element(parent, "affiliation", institution.name, **attributes)


def _person(parent, tag, name, person=None, affiliation=None, **attributes):
    node = _element(parent, tag, **attributes)
    family = items.display_family(name)
    given = name.get("given", "")
    _element(node, f"{tag}Name", f"{family}, {given}" if given else family, nameType="Personal")
    if given:
        _element(node, "givenName", given)
    _element(node, "familyName", family)
    if person is not None and person.orcid:
        _element(
            node,
            "nameIdentifier",
            person.orcid_url,
            nameIdentifierScheme="ORCID",
            schemeURI="https://orcid.org/",
        )
    if affiliation is not None:
        _affiliation(node, affiliation)
    return node


def _organisation(parent, tag, name, institution=None):
    node = _element(parent, tag)
    _element(node, f"{tag}Name", name, nameType="Organizational")
    if institution is not None and institution.ror_id:
        _element(
            node,
            "nameIdentifier",
            institution.ror_url,
            nameIdentifierScheme="ROR",
            schemeURI="https://ror.org",
        )
    return node


def _publisher(resource, name, institution=None):
    attributes = {}
    if institution is not None and institution.ror_id:
        attributes = {
            "publisherIdentifier": institution.ror_url,
            "publisherIdentifierScheme": "ROR",
            "schemeURI": "https://ror.org/",
        }
    _element(resource, "publisher", name, **attributes)


def _funding(resource, projects):
    """One fundingReference per project with a funder: funder, grant agreement, title."""
    references = None
    for project in projects:
        if not project.funder:
            continue
        if references is None:
            references = _element(resource, "fundingReferences")
        reference = _element(references, "fundingReference")
        _element(reference, "funderName", project.funder)
        if project.grant_agreement:
            award = {"awardURI": project.website} if project.website else {}
            _element(reference, "awardNumber", project.grant_agreement, **award)
        _element(reference, "awardTitle", project.title or project.acronym)


def _subjects(resource, item):
    subjects = items.keywords(item)
    if subjects:
        wrapper = _element(resource, "subjects")
        for subject in subjects:
            _element(wrapper, "subject", subject)


def _abstract(resource, item):
    if item.get("abstract"):
        descriptions = _element(resource, "descriptions")
        _element(descriptions, "description", item["abstract"], descriptionType="Abstract")


def _event_link(meeting, absolute):
    doi = items.meeting_doi(meeting)
    if doi:
        return doi, "DOI"
    return absolute(meeting.get_absolute_url()), "URL"


def _publisher_of_work(item, presentation):
    """The work's publisher; a talk is published by its series' organisation, else by us."""
    if item.get("publisher"):
        return item["publisher"], None
    if presentation is not None and presentation.meeting.series.parent_organisation:
        organisation = presentation.meeting.series.parent_organisation
        return organisation.name, organisation
    return settings.DOI_PUBLISHER, None


def work_resource(paper, *, absolute, doi=None):
    """The DataCite ``<resource>`` of a work read through ``items.works_for_harvest()``.

    ``doi`` is the DOI being registered, for a work that has none recorded yet.
    """
    presentation = items.presentation_of(paper)
    item = items.work_item(paper, presentation=presentation)
    kind = items.work_type(item)
    page_url = absolute(paper.get_absolute_url())
    doi = doi or item.get("DOI", "")

    resource = _new_resource()
    _identifier(resource, doi, page_url)
    creators = _element(resource, "creators")
    for name, authorship in items.authors_with_authorships(paper, item):
        _person(creators, "creator", name, authorship.person, authorship.affiliation)
    if not len(creators):
        # DataCite needs a creator; a work with no author yet is credited as DataCite advises.
        _organisation(creators, "creator", ":unav")
    titles = _element(resource, "titles")
    _element(titles, "title", item["title"])
    _publisher(resource, *_publisher_of_work(item, presentation))
    issued = items.issued_parts(item)
    _element(resource, "publicationYear", issued[0] if issued else paper.created_at.year)
    _element(resource, "resourceType", kind.label, resourceTypeGeneral=kind.datacite)
    _subjects(resource, item)

    contributors = [
        (contributor_type, name)
        for role, contributor_type in items.CONTRIBUTOR_ROLES.items()
        for name in item.get(role, [])
    ]
    if contributors:
        wrapper = _element(resource, "contributors")
        for contributor_type, name in contributors:
            _person(wrapper, "contributor", name, contributorType=contributor_type)

    dates = _element(resource, "dates")
    if issued:
        _element(dates, "date", items.iso_date(issued), dateType="Issued")
    _element(dates, "date", paper.updated_at.date().isoformat(), dateType="Updated")
    if item.get("language"):
        _element(resource, "language", item["language"])
    if doi:
        alternates = _element(resource, "alternateIdentifiers")
        _element(alternates, "alternateIdentifier", page_url, alternateIdentifierType="URL")

    related = _element(resource, "relatedIdentifiers")
    for given in paper.presentations.all():
        link, link_type = _event_link(given.meeting, absolute)
        _element(
            related,
            "relatedIdentifier",
            link,
            relatedIdentifierType=link_type,
            relationType="Other",
            relationTypeInformation="was presented at",
            resourceTypeGeneral="Event",
        )
    for relation in paper.relations_out.all():
        if relation.target.doi:
            _element(
                related,
                "relatedIdentifier",
                relation.target.doi,
                relatedIdentifierType="DOI",
                relationType=RELATION_TYPES[relation.kind][0],
            )
    for relation in paper.relations_in.all():
        if relation.source.doi:
            _element(
                related,
                "relatedIdentifier",
                relation.source.doi,
                relatedIdentifierType="DOI",
                relationType=RELATION_TYPES[relation.kind][1],
            )
    if not len(related):
        resource.remove(related)

    _abstract(resource, item)
    _funding(resource, paper.projects.all())
    _published_in(resource, item, kind)
    return resource


def _published_in(resource, item, kind):
    """The journal or book a work appeared in, as a relatedItem (DataCite 4.4+)."""
    if not item.get("container-title"):
        return
    container_type = "Journal" if kind.datacite == "JournalArticle" else "Book"
    if kind.datacite == "ConferencePaper":
        container_type = "ConferenceProceeding"
    wrapper = _element(resource, "relatedItems")
    related = _element(
        wrapper, "relatedItem", relationType="IsPublishedIn", relatedItemType=container_type
    )
    titles = _element(related, "titles")
    _element(titles, "title", item["container-title"])
    issued = items.issued_parts(item)
    if issued:
        _element(related, "publicationYear", issued[0])
    if item.get("volume"):
        _element(related, "volume", item["volume"])
    if item.get("issue"):
        _element(related, "issue", item["issue"])
    first_page, last_page = page_range(item.get("page", ""))
    if first_page:
        _element(related, "firstPage", first_page)
    if last_page:
        _element(related, "lastPage", last_page)
    if item.get("publisher"):
        _element(related, "publisher", item["publisher"])


def meeting_resource(meeting, *, absolute, doi=None):
    """The DataCite ``<resource>`` (an ``Event``) of a meeting read through
    ``items.meetings_for_harvest()``."""
    item = items.meeting_item(meeting)
    kind = items.work_type(item)
    page_url = absolute(meeting.get_absolute_url())
    doi = doi or items.meeting_doi(meeting)
    organisation = meeting.series.parent_organisation

    resource = _new_resource()
    _identifier(resource, doi, page_url)
    creators = _element(resource, "creators")
    _organisation(creators, "creator", meeting.series.name, organisation)
    titles = _element(resource, "titles")
    _element(titles, "title", item["title"])
    if organisation is not None:
        _publisher(resource, organisation.name, organisation)
    else:
        _publisher(resource, settings.DOI_PUBLISHER)
    _element(resource, "publicationYear", meeting.start_date.year)
    _element(resource, "resourceType", kind.label, resourceTypeGeneral=kind.datacite)
    _subjects(resource, item)
    committee = list(meeting.committee.all())
    if committee:
        contributors = _element(resource, "contributors")
        for member in committee:
            name = items.person_name(member.person)
            # DataCite has no organizer role: the committee is listed as "Other".
            _person(
                contributors,
                "contributor",
                name,
                member.person,
                member.affiliation,
                contributorType="Other",
            )
    dates = _element(resource, "dates")
    _element(
        dates,
        "date",
        f"{meeting.start_date.isoformat()}/{meeting.end_date.isoformat()}",
        dateType="Other",
        dateInformation="Meeting dates",
    )
    _element(dates, "date", meeting.updated_at.date().isoformat(), dateType="Updated")
    if doi:
        alternates = _element(resource, "alternateIdentifiers")
        _element(alternates, "alternateIdentifier", page_url, alternateIdentifierType="URL")
    _abstract(resource, item)
    if meeting.place:
        locations = _element(resource, "geoLocations")
        location = _element(locations, "geoLocation")
        _element(location, "geoLocationPlace", meeting.place)
    _funding(resource, [support.project for support in meeting.supports.all()])
    return resource


def to_bytes(resource):
    return etree.tostring(resource, xml_declaration=True, encoding="UTF-8", pretty_print=True)
