"""Our models as CSL-JSON items: the one mapping every citation format derives from.

The other modules of papers/citations/ turn CSL-JSON into formatted references, BibTeX, RIS
and back; this module is the only place that knows how a Paper, its authors and the meeting
it was presented at become CSL-JSON. It reads prefetched relations only
(``Paper.objects.with_details()`` or ``with_citation_data()``), so exporting a whole programme
adds no queries per work.
"""

from papers.models import Paper

CSL_TYPES = {
    Paper.Kind.PRESENTATION: "speech",
    Paper.Kind.CONFERENCE_PAPER: "paper-conference",
    Paper.Kind.JOURNAL_ARTICLE: "article-journal",
    Paper.Kind.BOOK: "book",
    Paper.Kind.CHAPTER: "chapter",
    Paper.Kind.REPORT: "report",
    Paper.Kind.THESIS: "thesis",
}
# What APA and Zotero call a talk given at a meeting when the work names no other genre.
PRESENTATION_GENRE = "Paper presentation"
PAPER_KINDS_BY_CSL_TYPE = {csl_type: kind for kind, csl_type in CSL_TYPES.items()}

# Lower-case words that open a family name and sort with it ("van Dijk" sorts under "van").
NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "das",
        "dos",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "op",
        "'t",
        "zu",
        "vom",
    ]
)


def csl_name(person):
    """A person as a CSL name; a leading particle becomes a non-dropping particle.

    An organisation, or a person known by one name only, is a ``literal`` name: styles print
    it as written, never inverted or reduced to initials.
    """
    if person.is_organisation or not person.given_name:
        return {"literal": person.family_name}
    name = {"family": person.family_name, "given": person.given_name}
    words = person.family_name.split(" ")
    particles = []
    while len(words) > 1 and words[0] in NAME_PARTICLES:
        particles.append(words.pop(0))
    if particles:
        name["family"] = " ".join(words)
        name["non-dropping-particle"] = " ".join(particles)
    return name


def printed_csl_name(printed_name, person):
    """A name as printed on a work (“T. Steen”, “Steen, T.”) as a CSL name, split where the
    person's family name stands in it; printed otherwise whole as a ``literal``."""
    if person.is_organisation:
        return {"literal": printed_name}
    if "," in printed_name:
        family, given = (part.strip() for part in printed_name.split(",", 1))
    elif printed_name.casefold().endswith(" " + person.family_name.casefold()):
        given = printed_name[: -len(person.family_name)].strip()
        family = printed_name[len(given) :].strip()
    else:
        return {"literal": printed_name}
    printed = csl_name(type(person)(given_name=given, family_name=family))
    return printed


def contributor_csl_name(contribution):
    """The CSL name of an authorship (or committee seat): as printed when it was recorded."""
    if contribution.printed_name:
        return printed_csl_name(contribution.printed_name, contribution.person)
    return csl_name(contribution.person)


def _date_parts(date):
    return [date.year, date.month, date.day]


def first_presentation(paper):
    """The earliest presentation of a paper, from prefetched rows."""
    presentations = sorted(paper.presentations.all(), key=lambda p: p.meeting.start_date)
    return presentations[0] if presentations else None


def paper_to_csl(paper, *, presentation=None):
    """The CSL-JSON item for ``paper``; a conference paper carries its meeting as the event.

    ``presentation`` chooses the meeting when a work was presented more than once (e.g. when
    exporting one meeting's programme); by default the earliest presentation is used.
    """
    item = {
        "id": paper.slug,
        "type": CSL_TYPES.get(paper.kind, "article"),
        "title": paper.title,
    }
    # Contributors arrive ordered by role, then position; each role is a CSL name variable.
    for authorship in paper.authorships.all():
        item.setdefault(authorship.role, []).append(contributor_csl_name(authorship))
    if paper.publication_date:
        item["issued"] = {"date-parts": [_date_parts(paper.publication_date)]}
    elif paper.year:
        item["issued"] = {"date-parts": [[paper.year]]}

    if paper.journal:
        item["container-title"] = paper.journal
    for csl_field, value in (
        ("volume", paper.volume),
        ("issue", paper.issue),
        ("page", paper.pages),
        ("publisher", paper.publisher),
        ("publisher-place", paper.publisher_place),
        ("genre", paper.genre),
        ("language", paper.language),
        ("DOI", paper.doi),
        ("URL", paper.url),
        ("abstract", paper.abstract),
    ):
        if value:
            item[csl_field] = value
    topics = [topic.name for topic in paper.topics.all()]
    if topics:
        item["keyword"] = ", ".join(topics)

    if paper.kind in (Paper.Kind.PRESENTATION, Paper.Kind.CONFERENCE_PAPER):
        presentation = presentation or first_presentation(paper)
        if presentation is not None:
            _add_event(item, paper, presentation.meeting)
    return item


def _event_dates(meeting):
    if meeting.end_date and meeting.end_date != meeting.start_date:
        return {"date-parts": [_date_parts(meeting.start_date), _date_parts(meeting.end_date)]}
    return {"date-parts": [_date_parts(meeting.start_date)]}


def _add_event(item, paper, meeting):
    """The meeting a work was presented at, as CSL 1.0.2 event variables.

    ``event`` repeats ``event-title`` for styles written for CSL 1.0.1 (IEEE, Harvard read
    only it). A talk, and a conference paper not published in proceedings, is dated by its
    event: ``issued`` is the event's dates, so APA 7 prints "(2023, May 11–12)", and there is
    no ``event-date`` (APA and Chicago would print the dates twice), as in Zotero, whose
    presentation has one date; its place is also its ``publisher-place``, as Zotero maps a
    presentation's one "place" to both, since IEEE and Harvard print only that. A paper in
    proceedings keeps its publication date and publisher's place, and has the event's in
    ``event-date`` and ``event-place``.
    """
    item["event-title"] = item["event"] = meeting.display_title
    if meeting.place:
        item["event-place"] = meeting.place
    if paper.kind == Paper.Kind.PRESENTATION:
        item.setdefault("genre", PRESENTATION_GENRE)
    talk = paper.kind == Paper.Kind.PRESENTATION
    if talk or not item.get("container-title"):
        if talk or not paper.publication_date:
            item["issued"] = _event_dates(meeting)
        else:
            item["event-date"] = _event_dates(meeting)
        if meeting.place:
            item.setdefault("publisher-place", meeting.place)
    else:
        item["event-date"] = _event_dates(meeting)
        item.setdefault("issued", {"date-parts": [_date_parts(meeting.start_date)]})


def papers_to_csl(papers, *, meeting=None):
    """CSL-JSON items for several papers; with ``meeting``, each as presented there."""
    items = []
    for paper in papers:
        presentation = None
        if meeting is not None:
            presentation = next(
                (p for p in paper.presentations.all() if p.meeting_id == meeting.pk), None
            )
        items.append(paper_to_csl(paper, presentation=presentation))
    return items
