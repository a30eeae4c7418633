"""Metadata for indexers: Google Scholar's Highwire tags and schema.org JSON-LD.

Both read the same prefetched objects as the pages that embed them (a paper from
``Paper.objects.with_details()``, a meeting from ``Meeting.objects.with_programme()``), so they
add no queries. The bibliographic core (type, dates, container, pages) comes from the CSL-JSON
mapping in papers/citations/csl.py, so every format agrees on it.
"""

import json

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from papers.citations.csl import first_presentation, paper_to_csl

# As django.utils.html.json_script: JSON that cannot close the <script> element it sits in.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` block, safe inside HTML."""
    payload = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def _page_range(page):
    for dash in ("–", "-"):
        if dash in page:
            first, _, last = page.partition(dash)
            return first.strip(), last.strip()
    return page.strip(), ""


def _publication_date(item):
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    return "/".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts))


def highwire_tags(paper, *, page_url):
    """Google Scholar's ``citation_*`` meta tags, one author after another with institution."""
    item = paper_to_csl(paper)
    tags = [("citation_title", paper.title)]
    for authorship in paper.authors:
        person = authorship.person
        tags.append(("citation_author", f"{person.family_name}, {person.given_name}"))
        if authorship.affiliation:
            tags.append(("citation_author_institution", authorship.affiliation.name))
        if person.orcid:
            tags.append(("citation_author_orcid", person.orcid_url))
    if item.get("issued"):
        tags.append(("citation_publication_date", _publication_date(item)))
    if item.get("event-title"):
        tags.append(("citation_conference_title", item["event-title"]))
    elif paper.journal and paper.kind != paper.Kind.CHAPTER:
        tags.append(("citation_journal_title", paper.journal))
    elif paper.journal:
        tags.append(("citation_inbook_title", paper.journal))
    if paper.volume:
        tags.append(("citation_volume", paper.volume))
    if paper.issue:
        tags.append(("citation_issue", paper.issue))
    if paper.pages:
        first, last = _page_range(paper.pages)
        tags.append(("citation_firstpage", first))
        if last:
            tags.append(("citation_lastpage", last))
    if paper.publisher:
        tags.append(("citation_publisher", paper.publisher))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    tags.append(("citation_abstract_html_url", page_url))
    topics = [topic.name for topic in paper.topics.all()]
    if topics:
        tags.append(("citation_keywords", "; ".join(topics)))
    return tags


def highwire_meta_html(paper, *, page_url):
    return format_html_join(
        "\n", '<meta name="{}" content="{}">', highwire_tags(paper, page_url=page_url)
    )


def _organization(institution, absolute):
    organization = {"@type": "Organization", "name": institution.name}
    if institution.ror_id:
        organization["@id"] = institution.ror_url
    if institution.short_name:
        organization["alternateName"] = institution.short_name
    if institution.website:
        organization["url"] = institution.website
    organization["sameAs"] = absolute(institution.get_absolute_url())
    return organization


def _person(person, absolute, affiliation=None):
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


def _periodical(paper):
    """schema.org's nesting for “Administrative Sciences, 13(2)”."""
    node = {"@type": "Periodical", "name": paper.journal}
    if paper.volume:
        node = {"@type": "PublicationVolume", "volumeNumber": paper.volume, "isPartOf": node}
    if paper.issue:
        node = {"@type": "PublicationIssue", "issueNumber": paper.issue, "isPartOf": node}
    return node


def paper_json_ld(paper, *, absolute):
    """A ``ScholarlyArticle`` for a paper page; ``absolute`` turns a path into a full URL."""
    url = absolute(paper.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": url,
        "url": url,
        "headline": paper.title[:110],
        "name": paper.title,
        "author": [
            _person(authorship.person, absolute, authorship.affiliation)
            for authorship in paper.authors
        ],
    }
    if paper.abstract:
        data["abstract"] = paper.abstract
    if paper.publication_date:
        data["datePublished"] = paper.publication_date.isoformat()
    elif paper.year:
        data["datePublished"] = str(paper.year)
    if paper.journal and paper.kind == paper.Kind.JOURNAL_ARTICLE:
        data["isPartOf"] = _periodical(paper)
    if paper.pages:
        first, last = _page_range(paper.pages)
        data["pageStart"] = first
        if last:
            data["pageEnd"] = last
    if paper.publisher:
        data["publisher"] = {"@type": "Organization", "name": paper.publisher}
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
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
                "@type": "ScholarlyArticle",
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


def meeting_json_ld(meeting, *, absolute):
    """An ``Event`` for a meeting page, part of its series (an ``EventSeries``)."""
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
    return data
