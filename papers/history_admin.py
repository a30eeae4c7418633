"""Reverting a work in the admin brings back its authors, their order and its topics too.

The revert form of django-simple-history shows the work's own fields as they were; topics
and projects come from the version's recorded many-to-many rows, and the author list (kept
in Authorship rows) is restored as it stood when that version was current.
"""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from papers.models import Authorship, Paper
from papers.services import authors_as_of, restore_paper_authors

JUST_BEFORE = datetime.timedelta(microseconds=1)


def authors_moment(version):
    """The moment whose author list belongs with ``version`` of a work: just before the work
    was next saved or deleted by another request. One admin save writes the work, its topics
    and then its authors; deleting a work deletes its authorships a moment before it."""
    later = Paper.history.filter(id=version.id, history_date__gt=version.history_date)
    if version.history_request is not None:
        later = later.exclude(history_request=version.history_request)
    following = later.order_by("history_date").first()
    if following is None:
        return timezone.now()
    if following.history_request is None:
        return following.history_date - JUST_BEFORE
    same_save = Authorship.history.filter(
        paper_id=version.id, history_request=following.history_request
    ).aggregate(start=Min("history_date"))["start"]
    return min(filter(None, [same_save, following.history_date])) - JUST_BEFORE


class VersionRestoreForm:
    """Mixed into the paper form when it shows an earlier ``version``."""

    version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["topics"] = [row.topic_id for row in self.version.topics.all()]
        self.initial["projects"] = [row.project_id for row in self.version.projects.all()]

    def clean(self):
        cleaned_data = super().clean()
        _, problems = authors_as_of(self.instance, authors_moment(self.version))
        for problem in problems:
            self.add_error(
                None, _("The authors cannot be restored: %(problem)s") % {"problem": problem}
            )
        return cleaned_data


class PaperHistoryMixin:
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.paper_version = Paper.history.filter(
            id=unquote(object_id), history_id=version_id
        ).first()
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        version = getattr(request, "paper_version", None)
        if version is None:
            return form
        return type(form.__name__, (VersionRestoreForm, form), {"version": version})

    def response_change(self, request, obj):
        version = getattr(request, "paper_version", None)
        if version is not None:
            authors = restore_paper_authors(paper=obj, as_of=authors_moment(version))
            names = ", ".join(str(author["person"]) for author in authors)
            messages.success(
                request, _("Authors restored in their earlier order: %(names)s.") % {"names": names}
            )
        return super().response_change(request, obj)
