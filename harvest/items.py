"""What every harvest format reads: records with their relations prefetched, as CSL-JSON.

A work's bibliographic core comes from the one CSL-JSON mapping (papers/csl.py); DataCite,
Dublin Core and Crossref add only what CSL has no field for: identifiers (DOI, ORCID, ROR),
affiliations, funding and the meeting a work was presented at. This module is the only one
in harvest that imports the CSL mapping, and the type table below is the one place that
says what each CSL type is called in each format, so a new work type is one new row.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from conference.meetings.models import CommitteeMember, Meeting, MeetingSupport
from harvest.models import DoiRegistration
from papers.citations.csl import csl_name, first_presentation, paper_to_csl
from papers.models import Paper, Presentation, WorkRelation


@dataclass(frozen=True)
class WorkType:
    datacite: str  # DataCite resourceTypeGeneral
    label: str  # DataCite resourceType text, Dublin Core's second dc:type
    eu_repo: str  # info:eu-repo/semantics type, as OpenAIRE-compliant repositories give it


WORK_TYPES = {
    "paper-conference": WorkType("ConferencePaper", "Conference paper", "conferenceObject"),
    "speech": WorkType("Presentation", "Conference presentation", "conferenceObject"),
    "article-journal": WorkType("JournalArticle", "Journal article", "article"),
    "book": WorkType("Book", "Book", "book"),
    "chapter": WorkType("BookChapter", "Book chapter", "bookPart"),
    "report": WorkType("Report", "Report", "report"),
    "thesis": WorkType("Dissertation", "Thesis", "doctoralThesis"),
    "event": WorkType("Event", "Meeting", "conferenceObject"),
}
OTHER_WORK_TYPE = WorkType("Text", "Text", "other")

# CSL name variables other than "author", as DataCite contributor types.
CONTRIBUTOR_ROLES = {
    "editor": "Editor",
    "container-author": "Other",
    "translator": "Translator",
    "chair": "Other",
    "organizer": "Other",
}


def work_type(item):
    """A conference paper presented at a meeting and not published anywhere is the talk
    itself: DataCite's ``Presentation``, as in its "was presented at" example."""
    csl_type = item["type"]
    if (
        csl_type == "paper-conference"
        and item.get("event-title")
        and not item.get("container-title")
    ):
        csl_type = "speech"
    return WORK_TYPES.get(csl_type, OTHER_WORK_TYPE)


def works_for_harvest(queryset=None):
    """Works with everything the harvest formats read, in a fixed number of queries."""
    queryset = Paper.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("doi_registration")
        .with_authors()
        .prefetch_related(
            "topics",
            "projects",
            Prefetch(
                "presentations",
                queryset=Presentation.objects.select_related(
                    "meeting__series__parent_organisation", "meeting__doi_registration"
                ).order_by("paper_id", "id"),
            ),
            Prefetch("relations_out", queryset=WorkRelation.objects.select_related("target")),
            Prefetch("relations_in", queryset=WorkRelation.objects.select_related("source")),
        )
    )


def meetings_for_harvest(queryset=None):
    """Meetings with their series, committee and supporting projects."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "series__parent_organisation", "doi_registration"
    ).prefetch_related(
        "meeting_topics__topic",
        Prefetch(
            "committee",
            queryset=CommitteeMember.objects.select_related("person", "affiliation").order_by(
                "meeting_id", "position", "id"
            ),
        ),
        Prefetch(
            "supports",
            queryset=MeetingSupport.objects.select_related("project").order_by(
                "meeting_id", "position", "id"
            ),
        ),
    )


def work_item(paper, *, presentation=None):
    """The work's CSL-JSON item, as every citation format has it."""
    return paper_to_csl(paper, presentation=presentation)


def person_name(person):
    """A person as a CSL name (particles split off as the citation formats do)."""
    return csl_name(person)


def presentation_of(paper):
    """The meeting presentation the formats name (the earliest), or None."""
    return first_presentation(paper)


def meeting_item(meeting):
    """A meeting as a CSL-JSON ``event`` item (the citation mapping covers works only)."""
    item = {
        "id": meeting.slug,
        "type": "event",
        "title": meeting.display_title,
        "event-title": meeting.display_title,
        "event-date": {
            "date-parts": [_date_parts(meeting.start_date), _date_parts(meeting.end_date)]
        },
        "issued": {"date-parts": [_date_parts(meeting.start_date)]},
    }
    if meeting.place:
        item["event-place"] = meeting.place
    if meeting.description:
        item["abstract"] = meeting.description
    topics = [meeting_topic.topic.name for meeting_topic in meeting.meeting_topics.all()]
    if topics:
        item["keyword"] = ", ".join(topics)
    if meeting.series.parent_organisation:
        item["publisher"] = meeting.series.parent_organisation.name
    return item


def _date_parts(date):
    return [date.year, date.month, date.day]


def keywords(item):
    return [word.strip() for word in item.get("keyword", "").split(",") if word.strip()]


def issued_parts(item):
    """The issued date's parts, ``[year]`` up to ``[year, month, day]``, or ``[]``."""
    return list(item.get("issued", {}).get("date-parts", [[]])[0])


def iso_date(parts):
    return "-".join(f"{part:02d}" if index else f"{part:04d}" for index, part in enumerate(parts))


def authors_with_authorships(paper, item):
    """``(csl_name, authorship)`` pairs in author order: the name as every format writes it,
    the authorship for the identifiers and the affiliation at the time."""
    authors = [authorship for authorship in paper.authorships.all() if authorship.role == "author"]
    return list(zip(item.get("author", []), authors, strict=True))


def display_family(name):
    """ "van Dijk" from a CSL name whose particle was split off."""
    return " ".join(
        part for part in (name.get("non-dropping-particle"), name.get("family")) if part
    )


def meeting_doi(meeting):
    """The meeting's DOI once registered (meetings have no DOI field of their own)."""
    try:
        registration = meeting.doi_registration
    except DoiRegistration.DoesNotExist:
        return ""
    return registration.doi if registration.status == DoiRegistration.Status.REGISTERED else ""
