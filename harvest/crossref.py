"""Crossref deposit XML (schema 5.3.0) for the works presented at one meeting.

A deposit is one ``<conference>``: the meeting as ``event_metadata``, the collection of its
papers as ``proceedings_metadata`` and one ``conference_paper`` per work that has a DOI, or
one marked to register. Crossref needs a DOI for every paper it is given, so works without
one are left out and named by ``deposit_for_meeting``; so are works whose DOI has another
registrant's prefix (a journal article's DOI belongs to its publisher).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from lxml import etree

from harvest import items
from harvest.models import DoiRegistration
from harvest.oai import admin_email
from papers.citations.dates import page_range
from papers.models import Paper, Presentation, programme_order

VERSION = "5.3.0"
NAMESPACE = f"http://www.crossref.org/schema/{VERSION}"
SCHEMA = f"https://www.crossref.org/schemas/crossref{VERSION}.xsd"
FUNDREF = "http://www.crossref.org/fundref.xsd"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass
class Deposit:
    document: etree._Element
    works: list  # the works deposited, with their DOIs: [(paper, doi)]
    left_out: list  # [(paper, reason)]

    def to_bytes(self):
        return etree.tostring(
            self.document, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )


def _element(parent, tag, text=None, namespace=NAMESPACE, **attributes):
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _date(parent, tag, parts, **attributes):
    """Crossref dates are month, day, year, in that order."""
    node = _element(parent, tag, **attributes)
    year, month, day = (list(parts) + [None, None])[:3]
    if month:
        _element(node, "month", f"{month:02d}")
    if day:
        _element(node, "day", f"{day:02d}")
    _element(node, "year", year)
    return node


def _person(parent, name, sequence, role, person=None, affiliation=None):
    node = _element(parent, "person_name", sequence=sequence, contributor_role=role)
    if name.get("given"):
        _element(node, "given_name", name["given"])
    _element(node, "surname", items.display_family(name))
    if affiliation is not None:
        institution = _element(_element(node, "affiliations"), "institution")
        _element(institution, "institution_name", affiliation.name)
        if affiliation.ror_id:
            _element(institution, "institution_id", affiliation.ror_url, type="ror")
    if person is not None and person.orcid:
        _element(node, "ORCID", person.orcid_url)
    return node


def _funding(parent, projects):
    funded = [project for project in projects if project.funder]
    if not funded:
        return
    program = _element(parent, "program", namespace=FUNDREF, name="fundref")
    for project in funded:
        group = _element(program, "assertion", namespace=FUNDREF, name="fundgroup")
        _element(group, "assertion", project.funder, namespace=FUNDREF, name="funder_name")
        if project.grant_agreement:
            _element(
                group,
                "assertion",
                project.grant_agreement,
                namespace=FUNDREF,
                name="award_number",
            )


def _doi_data(parent, doi, url):
    data = _element(parent, "doi_data")
    _element(data, "doi", doi)
    _element(data, "resource", url)


def doi_to_register(record):
    """The DOI an organizer marked this work or meeting to register with, or ""."""
    try:
        registration = record.doi_registration
    except DoiRegistration.DoesNotExist:
        return ""
    if registration.status == DoiRegistration.Status.REGISTERED:
        return ""
    return registration.doi


def is_acronym(name):
    """A series' short name is an acronym ("IIAS") when it is one short word."""
    return bool(name) and " " not in name and len(name) <= 20


def ours(doi):
    return not settings.DOI_PREFIX or doi.lower().startswith(settings.DOI_PREFIX.lower() + "/")


def conference_paper(parent, paper, presentation, doi, absolute):
    item = items.work_item(paper, presentation=presentation)
    node = _element(parent, "conference_paper", publication_type="full_text")
    authors = items.authors_with_authorships(paper, item)
    if authors:
        contributors = _element(node, "contributors")
        for index, (name, authorship) in enumerate(authors):
            _person(
                contributors,
                name,
                "first" if index == 0 else "additional",
                "author",
                authorship.person,
                authorship.affiliation,
            )
    _element(_element(node, "titles"), "title", item["title"])
    if item.get("abstract"):
        abstract = _element(node, "abstract", namespace=JATS)
        _element(abstract, "p", item["abstract"], namespace=JATS)
    issued = items.issued_parts(item)
    if issued:
        _date(node, "publication_date", issued, media_type="online")
    first_page, last_page = page_range(item.get("page", ""))
    if first_page:
        pages = _element(node, "pages")
        _element(pages, "first_page", first_page)
        if last_page:
            _element(pages, "last_page", last_page)
    _funding(node, paper.projects.all())
    _doi_data(node, doi, absolute(paper.get_absolute_url()))
    cited = [relation.target.doi for relation in paper.relations_out.all() if relation.target.doi]
    if cited:
        citations = _element(node, "citation_list")
        for index, cited_doi in enumerate(cited, start=1):
            _element(_element(citations, "citation", key=f"ref{index}"), "doi", cited_doi)


def deposit_for_meeting(meeting, *, absolute, now=None):
    """The deposit of ``meeting`` (read through ``items.meetings_for_harvest()``)."""
    now = now or timezone.now()
    root = etree.Element(
        f"{{{NAMESPACE}}}doi_batch",
        nsmap={None: NAMESPACE, "xsi": XSI, "jats": JATS, "fr": FUNDREF},
        version=VERSION,
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    head = _element(root, "head")
    _element(head, "doi_batch_id", f"{meeting.slug[:70]}-{now:%Y%m%d%H%M%S}")
    _element(head, "timestamp", now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}")
    depositor = _element(head, "depositor")
    _element(depositor, "depositor_name", settings.CROSSREF_DEPOSITOR_NAME)
    _element(depositor, "email_address", _depositor_email())
    _element(head, "registrant", settings.DOI_PUBLISHER)

    conference = _element(_element(root, "body"), "conference")
    chairs = [member for member in meeting.committee.all() if member.role == "chair"]
    if chairs:
        contributors = _element(conference, "contributors")
        for index, member in enumerate(chairs):
            _person(
                contributors,
                items.person_name(member.person),
                "first" if index == 0 else "additional",
                "chair",
                member.person,
                member.affiliation,
            )
    event = _element(conference, "event_metadata")
    _element(event, "conference_name", meeting.display_title)
    if is_acronym(meeting.series.short_name):
        _element(event, "conference_acronym", meeting.series.short_name)
    if meeting.edition:
        _element(event, "conference_number", meeting.edition)
    if meeting.place:
        _element(event, "conference_location", meeting.place)
    start, end = meeting.start_date, meeting.end_date
    _element(
        event,
        "conference_date",
        start_day=f"{start.day:02d}",
        start_month=f"{start.month:02d}",
        start_year=str(start.year),
        end_day=f"{end.day:02d}",
        end_month=f"{end.month:02d}",
        end_year=str(end.year),
    )
    proceedings = _element(conference, "proceedings_metadata")
    _element(proceedings, "proceedings_title", f"Papers of the {meeting.display_title}")
    organisation = meeting.series.parent_organisation
    publisher = _element(proceedings, "publisher")
    _element(
        publisher, "publisher_name", organisation.name if organisation else settings.DOI_PUBLISHER
    )
    _date(
        proceedings,
        "publication_date",
        items.issued_parts(items.meeting_item(meeting)),
        media_type="online",
    )
    _element(proceedings, "noisbn", reason="simple_series")
    meeting_doi = items.meeting_doi(meeting) or doi_to_register(meeting)
    if meeting_doi:
        _doi_data(proceedings, meeting_doi, absolute(meeting.get_absolute_url()))

    presentations = list(
        Presentation.objects.filter(meeting=meeting).order_by(*programme_order(), "id")
    )
    papers = items.works_for_harvest(
        Paper.objects.filter(pk__in=[presentation.paper_id for presentation in presentations])
    ).in_bulk()
    works, left_out = [], []
    for presentation in presentations:
        paper = papers[presentation.paper_id]
        doi = paper.doi or doi_to_register(paper)
        if not doi:
            left_out.append((paper, "it has no DOI: mark it to register one"))
        elif not ours(doi):
            left_out.append(
                (paper, f"its DOI {doi} is not under your prefix {settings.DOI_PREFIX}")
            )
        else:
            conference_paper(conference, paper, presentation, doi, absolute)
            works.append((paper, doi))
    return Deposit(root, works, left_out)


def _depositor_email():
    return settings.CROSSREF_DEPOSITOR_EMAIL or admin_email()
