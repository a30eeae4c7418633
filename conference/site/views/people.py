"""Public pages for people and institutions, and their indexes."""

import string

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_countries import countries

from conference.core.pages import PublicPageMixin, home_crumb, page_of
from conference.meetings.models import Meeting
from papers.citations.csl import papers_to_csl
from papers.exports import CitationExportMixin
from papers.models import Paper, Presentation
from people.models import Institution, Person, RecordMerge
from people.timeline import institutions_over_time, people_over_time

WORKS_PER_PAGE = 25
PEOPLE_PER_PAGE = 50
MEETINGS_PER_PAGE = 25
COAUTHORS_SHOWN = 30


def people_crumb():
    return (_("People"), reverse("people:person_list"))


def institutions_crumb():
    return (_("Institutions"), reverse("people:institution_list"))


class PersonListView(PublicPageMixin, ListView):
    """Everyone, A–Z by family name, with their latest institution."""

    template_name = "people/person_list.html"
    query_parameters = ("letter", "page")
    paginate_by = 100
    letters = tuple(string.ascii_uppercase)

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return _("People")

    def get_queryset(self):
        people = Person.objects.with_latest_institution().order_by(
            "family_name", "given_name", "pk"
        )
        letter = (self.request.GET.get("letter") or "").upper()
        self.letter = letter if letter in self.letters else ""
        return people.starting_with(self.letter) if self.letter else people

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = context["object_list"]
        institutions = Institution.objects.in_bulk(
            {person.latest_institution_id for person in people if person.latest_institution_id}
        )
        context["people"] = [
            (person, institutions.get(person.latest_institution_id)) for person in people
        ]
        context["letters"] = self.letters
        context["letter"] = self.letter
        return context


class InstitutionListView(PublicPageMixin, ListView):
    """Every institution, by country, with how many works and people it has."""

    template_name = "people/institution_list.html"
    query_parameters = ("country", "sort", "page")
    paginate_by = 50
    sorts = {"name": ("name", "pk"), "works": ("-work_count", "name", "pk")}

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return _("Institutions")

    def get_queryset(self):
        sort = self.request.GET.get("sort")
        self.sort = sort if sort in self.sorts else "name"
        institutions = Institution.objects.with_counts().order_by(*self.sorts[self.sort])
        code = (self.request.GET.get("country") or "").upper()
        self.country = code if code in dict(countries) else ""
        return institutions.in_country(self.country) if self.country else institutions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = self.sort
        context["country"] = self.country
        context["country_name"] = countries.name(self.country) if self.country else ""
        context["countries"] = Institution.objects.country_counts()
        return context


class MergedRecordRedirectMixin:
    """The page of a record merged into another answers 301 with the survivor's page, so
    links and citations made before the merge keep working."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slug = RecordMerge.objects.survivor_slug(self.model, kwargs["slug"])
            if slug is None:
                raise
            query = request.META.get("QUERY_STRING", "")
            target = self.model(slug=slug).get_absolute_url()
            return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


class PersonDetailView(MergedRecordRedirectMixin, CitationExportMixin, PublicPageMixin, DetailView):
    queryset = Person.objects.with_profile()
    model = Person
    context_object_name = "person"
    query_parameters = ("page", "format")

    def get_breadcrumbs(self):
        return [home_crumb(), people_crumb()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["timeline"] = institutions_over_time(person)
        context["works"] = page_of(
            self.request, Paper.objects.by_author(person).as_list_rows(), per_page=WORKS_PER_PAGE
        )
        context["meeting_roles"] = meeting_roles(person)
        coauthors = list(Person.objects.coauthors_of(person))
        context["coauthors"] = coauthors[:COAUTHORS_SHOWN]
        context["coauthor_count"] = len(coauthors)
        return context

    def get_export_items(self):
        return papers_to_csl(Paper.objects.by_author(self.object).with_citation_data())

    def get_export_filename(self):
        return f"{self.object.slug}-works"


ROLES = ("presented", "co_authored", "chaired", "discussed", "organized")


def meeting_roles(person):
    """``[(meeting, {"presented": [papers], "co_authored": [papers], "chaired": [sessions],
    "discussed": [papers], "organized": [roles]})]``, newest meeting first: what ``person``
    did at each meeting, in two queries (the talks of their works and those they discussed;
    the sessions they chaired) besides the prefetched committee seats."""
    roles = {}

    def entry(meeting):
        return roles.setdefault(meeting, {role: [] for role in ROLES})

    talks = Presentation.objects.involving(person).select_related("paper").newest_meeting_first()
    for talk in talks:
        authored_role = "presented" if talk.presented else "co_authored"
        entry(talk.meeting)["discussed" if talk.discussed else authored_role].append(talk.paper)
    for chair in person.session_chairs.select_related("session__meeting__series").order_by(
        "session__day", "session__start_time", "session__position"
    ):
        entry(chair.session.meeting)["chaired"].append(chair.session)
    for membership in person.committee_memberships.all():
        entry(membership.meeting)["organized"].append(membership.get_role_display())
    return sorted(roles.items(), key=lambda item: (item[0].start_date, item[0].pk), reverse=True)


class InstitutionDetailView(MergedRecordRedirectMixin, PublicPageMixin, DetailView):
    queryset = Institution.objects.with_members().with_names().select_related("parent")
    model = Institution
    context_object_name = "institution"
    query_parameters = ("page", "people_page")

    def get_breadcrumbs(self):
        return [home_crumb(), institutions_crumb()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.object
        links, per_year = people_over_time(institution)
        people = page_of(
            self.request,
            Person.objects.filter(pk__in=list(links)).order_by("family_name", "given_name", "pk"),
            per_page=PEOPLE_PER_PAGE,
            parameter="people_page",
        )
        context["people"] = people
        context["people_links"] = [(person, links[person.pk]) for person in people]
        context["people_per_year"] = per_year
        context["works"] = page_of(
            self.request,
            Paper.objects.by_institution(institution).as_list_rows(),
            per_page=WORKS_PER_PAGE,
        )
        linked = list(Institution.objects.linked_to(institution))
        context["parts"] = [other for other in linked if other.is_part]
        context["predecessors"] = [other for other in linked if other.is_predecessor]
        context["successors"] = [other for other in linked if other.is_successor]
        context["meetings"] = (
            Meeting.objects.with_members_from(institution).with_series().newest_first()
        )
        return context
