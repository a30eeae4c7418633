"""Calendars (iCalendar) of meetings, series and sessions, and the frab schedules that
conference apps load.

Both are files for programs, not pages: they are written in the site's own language
(``LANGUAGE_CODE``) whatever language the visitor reads the site in."""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from icalendar import Calendar, Event

from conference.core.languages import in_site_language
from conference.meetings.models import Meeting, Series, Session
from papers.calendars import programme_events, session_events
from papers.frab import schedule_json_text
from papers.frab import schedule_xml as frab_schedule_xml
from papers.programme import Programme


def _calendar(name=None):
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name or settings.SITE_NAME)
    return calendar


def _meeting_event(meeting, request):
    event = Event()
    # The UID must not change when the meeting is edited, so calendars update the event.
    event.add("uid", f"{meeting.slug}@{slugify(settings.SITE_NAME)}")
    event.add("dtstamp", meeting.updated_at)
    event.add("summary", meeting.display_title)
    event.add("dtstart", meeting.start_date)
    # All-day events end on the day after the last day (RFC 5545: DTEND is exclusive).
    event.add("dtend", meeting.end_date + datetime.timedelta(days=1))
    location = ", ".join(part for part in (meeting.venue, meeting.place) if part)
    if location:
        event.add("location", location)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    event.add("url", url)
    description = "\n\n".join(part for part in (meeting.description, url) if part)
    event.add("description", description)
    return event


def _calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@in_site_language
def meeting_ics(request, slug):
    """The meeting as an all-day event, and each session with a start time (and each talk
    with its own times) as an event in the meeting's time zone."""
    meeting = get_object_or_404(Meeting.objects.with_series(), slug=slug)
    calendar = _calendar(meeting.display_title)
    calendar.add_component(_meeting_event(meeting, request))
    programme = Programme.of(meeting)
    for event in programme_events(
        programme, absolute=request.build_absolute_uri, stamp=meeting.updated_at
    ):
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return _calendar_response(calendar, f"{meeting.slug}.ics")


@in_site_language
def session_ics(request, meeting_slug, slug):
    """“Add to calendar” for one session: the session and its timed talks."""
    session = get_object_or_404(
        Session.objects.select_related("meeting"), meeting__slug=meeting_slug, slug=slug
    )
    if session.start_time is None:
        raise Http404("This session has no recorded time to put in a calendar.")
    meeting = session.meeting
    programme = Programme.of(meeting, session=session)
    record = next(item for day in programme.days for item in day.sessions)
    calendar = _calendar(f"{record.title} – {meeting.display_title}")
    for event in session_events(
        record, meeting=meeting, absolute=request.build_absolute_uri, stamp=session.updated_at
    ):
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return _calendar_response(calendar, f"{meeting.slug}-{session.slug}.ics")


def _schedule(request, slug):
    meeting = get_object_or_404(Meeting.objects.with_series(), slug=slug)
    return Programme.of(meeting)


@in_site_language
def schedule_xml(request, slug):
    """The frab ``schedule.xml`` that conference apps (Giggity, ConfClerk…) load."""
    programme = _schedule(request, slug)
    body = frab_schedule_xml(
        programme,
        absolute=request.build_absolute_uri,
        schedule_url=request.build_absolute_uri(request.path),
    )
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-schedule.xml"'
    return response


@in_site_language
def schedule_json(request, slug):
    """The frab ``schedule.json``: the same events as ``schedule.xml``."""
    programme = _schedule(request, slug)
    body = schedule_json_text(
        programme,
        absolute=request.build_absolute_uri,
        schedule_url=request.build_absolute_uri(request.path),
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-schedule.json"'
    return response


@in_site_language
def meetings_ics(request):
    calendar = _calendar()
    for meeting in Meeting.objects.with_series().newest_first():
        calendar.add_component(_meeting_event(meeting, request))
    return _calendar_response(calendar, "meetings.ics")


@in_site_language
def series_ics(request, slug):
    series = get_object_or_404(Series, slug=slug)
    calendar = _calendar(series.name)
    for meeting in Meeting.objects.in_series(series).with_series().newest_first():
        calendar.add_component(_meeting_event(meeting, request))
    return _calendar_response(calendar, f"{series.slug}.ics")
