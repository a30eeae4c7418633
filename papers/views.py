"""Public page of a work: authors, abstract, where it was presented, relations, citation."""

from django.views.generic import DetailView

from conference.views import PublicPageMixin
from papers.models import Paper


def numbered_affiliations(authorships):
    """Number the authors' institutions in order of first appearance, as journals do.

    Returns ``(authors, institutions)``: ``authors`` pairs each authorship with its
    institution's number (None without one), ``institutions`` pairs numbers with institutions.
    """
    numbers = {}
    authors = []
    for authorship in authorships:
        institution = authorship.affiliation
        number = None
        if institution is not None:
            number = numbers.setdefault(institution, len(numbers) + 1)
        authors.append((authorship, number))
    institutions = [(number, institution) for institution, number in numbers.items()]
    return authors, institutions


def _apa_name(person):
    initials = " ".join(f"{part[0]}." for part in person.given_name.replace("-", " ").split())
    return f"{person.family_name}, {initials}" if initials else person.family_name


def _apa_authors(names):
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    return f"{', '.join(names[:-1])}, & {names[-1]}"


def apa_reference(paper):
    """A plain-text APA-style reference built from the prefetched paper.

    Journal works give "Journal, volume(issue), pages"; a work known only from a meeting
    is cited as its presentation there.
    """
    names = [_apa_name(authorship.person) for authorship in paper.authorships.all()]
    reference = _apa_authors(names)
    reference = f"{reference} ({paper.year or 'n.d.'}). " if reference else ""
    title = paper.title.rstrip(".")
    source = ""
    if paper.journal:
        source = paper.journal
        if paper.volume:
            source += f", {paper.volume}"
            if paper.issue:
                source += f"({paper.issue})"
        if paper.pages:
            source += f", {paper.pages}"
    elif paper.kind == Paper.Kind.CONFERENCE_PAPER:
        presentations = list(paper.presentations.all())
        if presentations:
            meeting = presentations[0].meeting
            title += " [Paper presentation]"
            source = ", ".join(part for part in (meeting.display_title, meeting.place) if part)
    elif paper.publisher:
        source = paper.publisher
    reference += f"{title}."
    if source:
        reference += f" {source}."
    link = paper.doi_url or paper.url
    if link:
        reference += f" {link}"
    return reference


class PaperDetailView(PublicPageMixin, DetailView):
    queryset = Paper.objects.with_details().with_related_work_authors()
    context_object_name = "paper"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        authors, institutions = numbered_affiliations(self.object.authorships.all())
        context["numbered_authors"] = authors
        context["numbered_institutions"] = institutions
        context["citation_text"] = apa_reference(self.object)
        return context
