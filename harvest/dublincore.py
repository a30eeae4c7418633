"""Simple Dublin Core (OAI-PMH's ``oai_dc``) for works and meetings, from their CSL items."""

from lxml import etree

from harvest import items

NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _root():
    root = etree.Element(f"{{{NAMESPACE}}}dc", nsmap={"oai_dc": NAMESPACE, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    return root


def _add(root, tag, text):
    if text:
        etree.SubElement(root, f"{{{DC}}}{tag}").text = str(text)


def _name(name):
    family = items.display_family(name)
    return f"{family}, {name['given']}" if name.get("given") else family


def _common(root, item, kind, page_url):
    _add(root, "title", item["title"])
    for name in item.get("author", []):
        _add(root, "creator", _name(name))
    for subject in items.keywords(item):
        _add(root, "subject", subject)
    _add(root, "description", item.get("abstract"))
    _add(root, "publisher", item.get("publisher"))
    for role in items.CONTRIBUTOR_ROLES:
        for name in item.get(role, []):
            _add(root, "contributor", _name(name))
    issued = items.issued_parts(item)
    if issued:
        _add(root, "date", items.iso_date(issued))
    _add(root, "type", "Event" if kind.datacite == "Event" else "Text")
    _add(root, "type", f"info:eu-repo/semantics/{kind.eu_repo}")
    _add(root, "identifier", page_url)
    if item.get("DOI"):
        _add(root, "identifier", f"https://doi.org/{item['DOI']}")
    _add(root, "language", item.get("language"))


def work_dc(paper, *, absolute):
    """oai_dc of a work read through ``items.works_for_harvest()``."""
    presentation = items.presentation_of(paper)
    item = items.work_item(paper, presentation=presentation)
    root = _root()
    _common(root, item, items.work_type(item), absolute(paper.get_absolute_url()))
    if item.get("container-title"):
        source = item["container-title"]
        details = ", ".join(
            part
            for part in (
                item.get("volume") and f"vol. {item['volume']}",
                item.get("issue") and f"no. {item['issue']}",
                item.get("page") and f"p. {item['page']}",
            )
            if part
        )
        _add(root, "source", f"{source}, {details}" if details else source)
    for given in paper.presentations.all():
        _add(root, "relation", absolute(given.meeting.get_absolute_url()))
    for relation in paper.relations_out.all():
        if relation.target.doi:
            _add(root, "relation", f"https://doi.org/{relation.target.doi}")
    for project in paper.projects.all():
        if project.grant_agreement:
            _add(root, "relation", f"Funded by {project.funding_statement}")
    if item.get("event-place"):
        _add(root, "coverage", item["event-place"])
    return root


def meeting_dc(meeting, *, absolute):
    """oai_dc of a meeting read through ``items.meetings_for_harvest()``."""
    item = items.meeting_item(meeting)
    root = _root()
    _common(root, item, items.work_type(item), absolute(meeting.get_absolute_url()))
    _add(root, "creator", meeting.series.name)
    _add(root, "coverage", item.get("event-place"))
    _add(root, "coverage", f"{meeting.start_date.isoformat()}/{meeting.end_date.isoformat()}")
    for support in meeting.supports.all():
        if support.project.funding_statement:
            _add(root, "relation", f"Funded by {support.project.funding_statement}")
    return root
