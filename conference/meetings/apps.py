from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """The meetings app: series, meetings, topics, projects, committees. Its label stays
    ``conference`` (the name its tables, permissions and history were created under)."""

    name = "conference.meetings"
    label = "conference"
    verbose_name = _("Meetings")
