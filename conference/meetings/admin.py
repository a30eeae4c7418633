from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from conference.core.history_admin import RecordAdmin
from conference.meetings import services
from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    MeetingTranslation,
    Project,
    Room,
    Series,
    SeriesTranslation,
    Topic,
    TopicTranslation,
)


class TranslationInline(admin.StackedInline):
    """The record's text in the site's other languages; pages in those languages show it."""

    extra = 0
    max_num = 3
    verbose_name_plural = _("in other languages (shown to visitors reading in them)")


class SeriesTranslationInline(TranslationInline):
    model = SeriesTranslation
    fields = ["language", "name", "description"]


class TopicTranslationInline(TranslationInline):
    model = TopicTranslation
    fields = ["language", "name", "description"]


class MeetingTranslationInline(TranslationInline):
    model = MeetingTranslation
    fields = ["language", "title", "description"]


class MeetingTopicInline(admin.TabularInline):
    model = MeetingTopic
    extra = 0
    autocomplete_fields = ["topic"]


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["person", "affiliation"]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["position", "name", "capacity"]
    verbose_name_plural = _("rooms (where sessions take place)")


class MeetingSupportInline(admin.TabularInline):
    model = MeetingSupport
    extra = 0
    autocomplete_fields = ["project"]


@admin.register(Series)
class SeriesAdmin(RecordAdmin):
    list_display = ["name", "short_name", "parent_organisation"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent_organisation"]
    list_select_related = ["parent_organisation"]
    inlines = [SeriesTranslationInline]


@admin.register(Meeting)
class MeetingAdmin(RecordAdmin):
    list_display = ["display_title", "series", "start_date", "end_date", "city", "country"]
    list_filter = ["series", "start_date", "country", "is_open", "topics"]
    search_fields = ["title", "city", "venue", "series__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["series"]
    list_select_related = ["series"]
    fieldsets = [
        (None, {"fields": ["series", ("edition", "kind"), "title", "slug"]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), "venue", ("city", "country")]},
        ),
        # Translators: an admin fieldset heading: what the meeting is, its description.
        (_("About"), {"fields": ["is_open", "description", "website", "acknowledgment_note"]}),
        (_("Programme"), {"fields": ["programme"]}),
    ]
    readonly_fields = ["programme"]
    # The talks are edited session by session (the programme editor), not on this page: a
    # meeting of 400 talks stays a page of a few dozen inputs.
    inlines = [
        MeetingTranslationInline,
        MeetingTopicInline,
        CommitteeMemberInline,
        MeetingSupportInline,
        RoomInline,
    ]

    @admin.display(description=_("Sessions and talks"))
    def programme(self, meeting):
        """The programme at a glance, each session a link to its editor."""
        sessions = []
        if meeting.pk:
            sessions = (
                meeting.sessions.select_related("room")
                .annotate(talk_count=Count("talks"))
                .order_by("day", "start_time", "position")
            )
        talk_count = meeting.presentations.count() if meeting.pk else 0
        unscheduled = meeting.presentations.filter(session=None).count() if meeting.pk else 0
        return render_to_string(
            "admin/conference/meeting/programme.html",
            {
                "meeting": meeting,
                "sessions": sessions,
                "talk_count": talk_count,
                "unscheduled_count": unscheduled,
            },
        )

    @admin.display(description=_("Meeting"), ordering="title")
    def display_title(self, meeting):
        return meeting.display_title


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "meeting", "capacity", "position"]
    search_fields = ["name", "meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting__series"]
    fields = ["meeting", "name", "capacity", "position"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in ("name", "capacity", "position")}
        if change:
            services.update_room(room=obj, meeting=form.cleaned_data["meeting"], **fields)
        else:
            saved = services.create_room(meeting=form.cleaned_data["meeting"], **fields)
            obj.pk = saved.pk


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    inlines = [TopicTranslationInline]


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    list_display = ["acronym", "title", "funder", "programme", "grant_agreement"]
    list_filter = ["funder", "programme"]
    search_fields = ["acronym", "title", "grant_agreement"]
