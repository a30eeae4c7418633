"""Metadata for indexers: Google Scholar's Highwire tags and schema.org JSON-LD.

Both read the same prefetched objects as the pages that embed them (a paper from
``Paper.objects.with_details()``, a meeting from ``Meeting.objects.with_programme()``), so they
add no queries. The bibliographic core (type, dates, container, pages) comes from the CSL-JSON
mapping in papers/citations/csl.py, so every format agrees on it.
"""

import datetime
import json
import re

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from conference.core.identifiers import doi_url
from papers.citations.csl import CSL_TYPES, first_presentation, paper_to_csl
from papers.citations.dates import page_range


def json_ld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` block, safe inside HTML."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # As django.utils.html.json_script: JSON that cannot close the <script> element it sits
    # in. str.replace, not str.translate: a large programme's JSON-LD is some 30,000 characters,
    # which translate's per-character table lookup takes 2 ms to read.
    payload = payload.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def _publication_date(item):
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    return "/".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts))


def _csl_name_text(name):
    if name.get("literal"):
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    return ", ".join(part for part in (family, name.get("given")) if part)


def _is_talk(item):
    return item.get("type") == "speech" or (
        item.get("type") == "paper-conference" and not item.get("container-title")
    )


def highwire_tags(paper, *, page_url):
    """Google Scholar's ``citation_*`` meta tags, per its inclusion guidelines for each type.

    Everything bibliographic comes from the CSL-JSON item; each author is followed by their
    institution at the time, which CSL does not carry.
    """
    item = paper_to_csl(paper)
    tags = [("citation_title", item["title"])]
    affiliations = [authorship.affiliation for authorship in paper.authors]
    people = [authorship.person for authorship in paper.authors]
    for position, name in enumerate(item.get("author") or []):
        tags.append(("citation_author", _csl_name_text(name)))
        if position < len(affiliations) and affiliations[position]:
            tags.append(("citation_author_institution", affiliations[position].name))
        if position < len(people) and people[position].orcid:
            tags.append(("citation_author_orcid", people[position].orcid_url))
    if item.get("issued"):
        tags.append(("citation_publication_date", _publication_date(item)))
    csl_type = item.get("type")
    container = item.get("container-title")
    event_title = item.get("event-title") or item.get("event")
    if csl_type in ("speech", "paper-conference") and event_title:
        tags.append(("citation_conference_title", event_title))
    if csl_type == "article-journal" and container:
        tags.append(("citation_journal_title", container))
    elif csl_type in ("chapter", "paper-conference") and container:
        tags.append(("citation_inbook_title", container))  # the book or the proceedings
    for name in item.get("editor") or []:
        tags.append(("citation_editor", _csl_name_text(name)))
    for variable, tag in (("volume", "citation_volume"), ("issue", "citation_issue")):
        if item.get(variable):
            tags.append((tag, item[variable]))
    if item.get("page"):
        first, last = page_range(item["page"])
        tags.append(("citation_firstpage", first))
        if last:
            tags.append(("citation_lastpage", last))
    if csl_type == "report":
        if item.get("publisher"):
            tags.append(("citation_technical_report_institution", item["publisher"]))
        if item.get("number"):
            tags.append(("citation_technical_report_number", item["number"]))
    elif csl_type == "thesis":
        if item.get("publisher"):
            tags.append(("citation_dissertation_institution", item["publisher"]))
    elif item.get("publisher"):
        tags.append(("citation_publisher", item["publisher"]))
    for variable, tag in (("ISBN", "citation_isbn"), ("ISSN", "citation_issn")):
        if item.get(variable):
            tags.append((tag, item[variable]))
    if item.get("DOI"):
        tags.append(("citation_doi", item["DOI"]))
    if item.get("language"):
        tags.append(("citation_language", item["language"]))
    tags.append(("citation_abstract_html_url", page_url))
    if item.get("keyword"):
        tags.append(("citation_keywords", "; ".join(re.split(r"\s*,\s*", item["keyword"]))))
    return tags


def highwire_meta_html(paper, *, page_url):
    return format_html_join(
        "\n", '<meta name="{}" content="{}">', highwire_tags(paper, page_url=page_url)
    )


def _organization(institution, absolute):
    """An institution: ``url`` is its page here; ``sameAs`` its identities elsewhere (ROR,
    its official website), as schema.org defines the two."""
    organization = {"@type": "Organization", "name": institution.name}
    if institution.ror_id:
        organization["@id"] = institution.ror_url
    if institution.short_name:
        organization["alternateName"] = institution.short_name
    organization["url"] = absolute(institution.get_absolute_url())
    same_as = [
        url
        for url in (institution.ror_url if institution.ror_id else "", institution.website)
        if url
    ]
    if same_as:
        organization["sameAs"] = same_as
    return organization


def _person(person, absolute, affiliation=None):
    if person.is_organisation:  # a corporate author: an Organization, its name whole
        return {
            "@type": "Organization",
            "name": person.family_name,
            "url": absolute(person.get_absolute_url()),
        }
    node = {
        "@type": "Person",
        "name": person.full_name,
        "givenName": person.given_name,
        "familyName": person.family_name,
        "url": absolute(person.get_absolute_url()),
    }
    if person.orcid:
        node["@id"] = person.orcid_url
        node["sameAs"] = person.orcid_url
    if affiliation:
        node["affiliation"] = _organization(affiliation, absolute)
    return node


def _grant(project):
    grant = {"@type": "Grant", "name": project.title or project.acronym}
    if project.grant_agreement:
        grant["identifier"] = project.grant_agreement
    if project.funder:
        grant["funder"] = {"@type": "Organization", "name": project.funder}
    if project.website:
        grant["url"] = project.website
    return grant


def _event(meeting, absolute):
    event = {
        "@type": "Event",
        "name": meeting.display_title,
        "startDate": meeting.start_date.isoformat(),
        "endDate": meeting.end_date.isoformat(),
        "url": absolute(meeting.get_absolute_url()),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(meeting),
    }
    return event


def _place(meeting):
    address = {"@type": "PostalAddress"}
    if meeting.city:
        address["addressLocality"] = meeting.city
    if meeting.country:
        address["addressCountry"] = meeting.country.code
    return {"@type": "Place", "name": meeting.venue or meeting.city, "address": address}


# schema.org types of CSL types; a talk is a CreativeWork recorded at its Event.
_SCHEMA_TYPES = {
    "article-journal": "ScholarlyArticle",
    "paper-conference": "ScholarlyArticle",
    "speech": "CreativeWork",
    "book": "Book",
    "chapter": "Chapter",
    "report": "Report",
    "thesis": "Thesis",
}


def _schema_type(item):
    return "CreativeWork" if _is_talk(item) else _SCHEMA_TYPES.get(item.get("type"), "CreativeWork")


def _display_name(name):
    parts = (name.get("given"), name.get("non-dropping-particle"), name.get("family"))
    return " ".join(part for part in parts if part)


def _names(names):
    """CSL names (editors) as schema.org nodes; an organisation is an Organization."""
    return [
        {"@type": "Organization", "name": name["literal"]}
        if name.get("literal")
        else {"@type": "Person", "name": _display_name(name)}
        for name in names
    ]


def _periodical(item):
    """schema.org's nesting for “Administrative Sciences, 13(2)”."""
    node = {"@type": "Periodical", "name": item["container-title"]}
    if item.get("ISSN"):
        node["issn"] = item["ISSN"]
    if item.get("volume"):
        node = {"@type": "PublicationVolume", "volumeNumber": item["volume"], "isPartOf": node}
    if item.get("issue"):
        node = {"@type": "PublicationIssue", "issueNumber": item["issue"], "isPartOf": node}
    return node


def _book(item):
    """The book a chapter is part of, or the proceedings a conference paper is in."""
    book = {"@type": "Book", "name": item["container-title"]}
    if item.get("editor"):
        book["editor"] = _names(item["editor"])
    if item.get("ISBN"):
        book["isbn"] = item["ISBN"]
    if item.get("publisher"):
        book["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    return book


def _iso_date(item):
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    return "-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts))


def paper_json_ld(paper, *, absolute):
    """The work as its schema.org type (``ScholarlyArticle``, ``Book``, ``Chapter``, ``Report``,
    ``Thesis``, or a ``CreativeWork`` recorded at its ``Event`` for a talk); the bibliographic
    part comes from the CSL-JSON item, ``absolute`` turns a path into a full URL."""
    item = paper_to_csl(paper)
    url = absolute(paper.get_absolute_url())
    schema_type = _schema_type(item)
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": url,
        "url": url,
        "headline": item["title"][:110],
        "name": item["title"],
        "author": [
            _person(authorship.person, absolute, authorship.affiliation)
            for authorship in paper.authors
        ],
    }
    if item.get("genre"):
        data["genre"] = item["genre"]
    if item.get("editor") and schema_type != "Chapter":
        data["editor"] = _names(item["editor"])
    if item.get("abstract"):
        data["abstract"] = item["abstract"]
    if item.get("language"):
        data["inLanguage"] = item["language"]
    if item.get("issued") and not _is_talk(item):
        data["datePublished"] = _iso_date(item)
    container = item.get("container-title")
    if container and item.get("type") == "article-journal":
        data["isPartOf"] = _periodical(item)
    elif container and item.get("type") in ("chapter", "paper-conference"):
        data["isPartOf"] = _book(item)
    if item.get("page"):
        first, last = page_range(item["page"])
        data["pageStart"] = first
        if last:
            data["pageEnd"] = last
    if item.get("publisher") and "isPartOf" not in data:
        data["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    if schema_type == "Report" and item.get("number"):
        data["reportNumber"] = item["number"]
    if schema_type == "Book" and item.get("ISBN"):
        data["isbn"] = item["ISBN"]
    if item.get("DOI"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": item["DOI"]}
        data["sameAs"] = paper.doi_url
    topics = [topic.name for topic in paper.topics.all()]
    if topics:
        data["keywords"] = topics
    presentation = first_presentation(paper)
    if presentation is not None:
        data["recordedAt"] = _event(presentation.meeting, absolute)
    cited = [relation.target for relation in paper.relations_out.all()]
    if cited:
        data["citation"] = [
            {
                "@type": _SCHEMA_TYPES.get(CSL_TYPES.get(work.kind), "CreativeWork"),
                "name": work.title,
                "url": absolute(work.get_absolute_url()),
                **({"sameAs": work.doi_url} if work.doi else {}),
            }
            for work in cited
        ]
    grants = [_grant(project) for project in paper.projects.all()]
    if grants:
        data["funding"] = grants
    return data


def _moment(zone, day, time):
    """A session's or talk's start or end: a date-time with the offset of the meeting's time
    ``zone``, or the day alone when no time is recorded."""
    if time is None:
        return day.isoformat()
    return datetime.datetime.combine(day, time, tzinfo=zone).isoformat()


def _session_place(session, meeting):
    place = _place(meeting)
    if session.room:
        place = {"@type": "Place", "name": session.room.name, "containedInPlace": place}
    return place


def _performer(entry, absolute):
    node = {"@type": "Person", "name": entry.person.full_name, "url": absolute(entry.person.url)}
    if entry.affiliation:
        node["affiliation"] = {
            "@type": "Organization",
            "name": entry.affiliation.name,
            "url": absolute(entry.affiliation.url),
        }
    return node


def _work(talk, absolute):
    work = {"@type": "CreativeWork", "@id": absolute(talk.paper.url), "name": talk.paper.title}
    if talk.paper.doi:
        work["sameAs"] = doi_url(talk.paper.doi)
    return work


def session_json_ld(session, *, meeting, absolute, with_works=True, with_talks=False, zone=None):
    """A session as an ``Event``: its day or times, its room in the venue, its chairs as
    organizers and the works presented as ``workFeatured``.

    ``with_talks`` adds each talk as a sub-event performing its work (``workPerformed``) by
    its presenters, with its times where recorded: the session page's fuller record.
    ``with_works=False`` gives the session's name, address, times and room only: its own
    page (the ``@id``) carries the rest. ``zone``: the meeting's, when the caller has it
    already (reading it costs some 40 µs, which a programme of 100 sessions notices).
    """
    zone = zone or meeting.zone
    node = {
        "@type": "Event",
        "@id": absolute(session.url),
        "name": session.title,
        "startDate": _moment(zone, session.day, session.start),
    }
    if session.start is not None and session.end is not None:
        node["endDate"] = _moment(zone, session.day, session.end)
    if not with_works:
        if session.room:
            node["location"] = {"@type": "Place", "name": session.room.name}
        return node
    node["url"] = node["@id"]
    node["location"] = _session_place(session, meeting)
    if session.description:
        node["description"] = session.description
    if session.chairs:
        node["organizer"] = [_performer(chair, absolute) for chair in session.chairs]
    if session.talks:
        node["workFeatured"] = [_work(talk, absolute) for talk in session.talks]
    if with_talks and session.talks:
        node["subEvent"] = [_talk_event(talk, session, zone, absolute) for talk in session.talks]
    return node


def _talk_event(talk, session, zone, absolute):
    event = {
        "@type": "Event",
        "name": talk.paper.title,
        "startDate": _moment(zone, session.day, talk.start or session.start),
        "workPerformed": _work(talk, absolute),
        "performer": [
            _performer(author, absolute) for author in talk.authors if author.is_presenter
        ],
    }
    if talk.start is not None and talk.end is not None:
        event["endDate"] = _moment(zone, session.day, talk.end)
    return event


def meeting_json_ld(meeting, *, absolute, programme=None, with_works=True):
    """An ``Event`` for a meeting page, part of its series (an ``EventSeries``); with the
    ``programme`` (the reader's records), its sessions as ``subEvent``s and the works
    presented as ``workFeatured`` (of each session, and of the meeting for talks outside
    any session). ``with_works=False`` leaves the works to each session's own page (its
    ``@id``), for a programme of hundreds of talks."""
    data = {"@context": "https://schema.org", **_event(meeting, absolute)}
    data["@id"] = data["url"]
    if meeting.description:
        data["description"] = meeting.description
    data["eventStatus"] = "https://schema.org/EventScheduled"
    series = meeting.series
    super_event = {"@type": "EventSeries", "name": series.name}
    organizers = []
    if series.parent_organisation:
        parent = _organization(series.parent_organisation, absolute)
        super_event["organizer"] = parent
        organizers.append(parent)
    data["superEvent"] = super_event
    organizers.extend(
        _person(member.person, absolute, member.affiliation) for member in meeting.committee.all()
    )
    if organizers:
        data["organizer"] = organizers
    topics = [{"@type": "Thing", "name": mt.topic.name} for mt in meeting.meeting_topics.all()]
    if topics:
        data["about"] = topics
    grants = [_grant(support.project) for support in meeting.supports.all()]
    if grants:
        data["funding"] = grants
    if programme is not None:
        zone = meeting.zone
        sessions = [
            session_json_ld(
                session, meeting=meeting, absolute=absolute, with_works=with_works, zone=zone
            )
            for day in programme.days
            for session in day.sessions
        ]
        if sessions:
            data["subEvent"] = sessions
        if programme.unscheduled and with_works:
            data["workFeatured"] = [_work(talk, absolute) for talk in programme.unscheduled]
    return data
