from django.contrib import admin

from conference.core.history_admin import RecordAdmin
from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Project,
    Series,
    Topic,
)
from papers.admin import PresentationInline


class MeetingTopicInline(admin.TabularInline):
    model = MeetingTopic
    extra = 0
    autocomplete_fields = ["topic"]


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["person", "affiliation"]


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
        ("When and where", {"fields": [("start_date", "end_date"), "venue", ("city", "country")]}),
        ("About", {"fields": ["is_open", "description", "website", "acknowledgment_note"]}),
    ]
    inlines = [MeetingTopicInline, CommitteeMemberInline, MeetingSupportInline, PresentationInline]

    @admin.display(description="Meeting", ordering="title")
    def display_title(self, meeting):
        return meeting.display_title


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    list_display = ["acronym", "title", "funder", "programme", "grant_agreement"]
    list_filter = ["funder", "programme"]
    search_fields = ["acronym", "title", "grant_agreement"]
