"""Topics and projects: what meetings and works are about, and what funded them."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from conference.core.pages import PublicPageMixin, home_crumb, page_of
from conference.meetings.models import Meeting, Project, Topic
from papers.models import Paper

WORKS_PER_PAGE = 25


class TopicListView(PublicPageMixin, ListView):
    template_name = "conference/topic_list.html"
    query_parameters = ("sort", "page")
    paginate_by = 50
    sorts = {"name": ("name",), "works": ("-work_count", "name")}

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_breadcrumb_label(self):
        return _("Topics")

    def get_queryset(self):
        self.sort = (
            self.request.GET.get("sort") if self.request.GET.get("sort") in self.sorts else "name"
        )
        return Topic.objects.with_counts().with_translations().order_by(*self.sorts[self.sort])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = self.sort
        return context


class TopicDetailView(PublicPageMixin, DetailView):
    queryset = Topic.objects.all()
    context_object_name = "topic"
    query_parameters = ("page",)

    def get_breadcrumbs(self):
        return [home_crumb(), (_("Topics"), reverse("conference:topic_list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = page_of(
            self.request,
            Paper.objects.about_topic(self.object).as_list_rows(),
            per_page=WORKS_PER_PAGE,
        )
        context["meetings"] = Meeting.objects.about_topic(self.object).with_series().newest_first()
        return context


class ProjectDetailView(PublicPageMixin, DetailView):
    queryset = Project.objects.all()
    context_object_name = "project"
    query_parameters = ("page",)

    def get_breadcrumbs(self):
        return [home_crumb()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["works"] = page_of(
            self.request,
            Paper.objects.based_on(self.object).as_list_rows(),
            per_page=WORKS_PER_PAGE,
        )
        context["supports"] = self.object.supports.select_related(
            "meeting", "meeting__series"
        ).order_by("-meeting__start_date")
        return context
