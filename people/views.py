"""Public pages for people and institutions."""

from django.views.generic import DetailView

from conference.views import PublicPageMixin
from papers.models import Paper, Presentation
from people.models import Institution, Person


class PersonDetailView(PublicPageMixin, DetailView):
    queryset = Person.objects.with_profile()
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = Paper.objects.by_author(self.object).with_authors()
        context["presentations"] = (
            Presentation.objects.given_by(self.object).in_programme_order().newest_meeting_first()
        )
        return context


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
