"""Public pages for people and institutions."""

from django.views.generic import DetailView

from conference.views import PublicPageMixin
from papers.citations.csl import papers_to_csl
from papers.exports import CitationExportMixin
from papers.models import Paper, Presentation
from people.models import Institution, Person


class PersonDetailView(CitationExportMixin, PublicPageMixin, DetailView):
    queryset = Person.objects.with_profile()
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = Paper.objects.by_author(self.object).with_authors()
        context["presentations"] = (
            Presentation.objects.given_by(self.object).in_programme_order().newest_meeting_first()
        )
        return context

    def get_export_items(self):
        return papers_to_csl(Paper.objects.by_author(self.object).with_citation_data())

    def get_export_filename(self):
        return f"{self.object.slug}-works"


class InstitutionDetailView(PublicPageMixin, DetailView):
    queryset = Institution.objects.with_members()
    context_object_name = "institution"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = Paper.objects.by_institution(self.object).with_authors()
        context["presentations"] = (
            Presentation.objects.by_members_of(self.object)
            .in_programme_order()
            .newest_meeting_first()
        )
        return context
