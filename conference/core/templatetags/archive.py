"""Template tags for what pages repeat hundreds of times: author lists with institutions, and
a meeting's programme (days of parallel sessions, talks with their authors and discussants).

The markup lives in shared partials in ``templates/includes/``, each written once and
rendered by an inclusion tag; any page (the meeting page, session pages) reuses them:

- ``{% author_list authors %}`` renders ``includes/author_list.html``: authors or presenters
  (anything with ``.person`` and ``.affiliation``, model instances or the programme's
  records) in order, each with their institution at the time, joined “A, B and C”.
- ``{% institution_abbr institution %}`` renders ``includes/institution_abbr.html``: the
  short name with the full name on hover, or the full name alone. Anything with ``name``
  and ``short_name`` works. The long form, “Name (short name)”, is
  ``Institution.display_name``.
- ``{{ forloop|list_separator }}`` goes before each item of a ``{% for %}`` loop to join the
  items as a sentence lists them: “A”, “A and B”, “A, B and C”.

- ``{% session_index programme %}`` renders ``includes/programme/session_index.html``:
  every session by day, each a link to its page.
- ``{% programme_sessions day %}``, ``{% programme_talks talks %}`` and
  ``{% session_people %}`` write a day's sessions and the talks' lines (all authors with the
  presenters marked, discussants, chairs) in Python, escaping every value: a day of the
  400-talk sample repeats them about 1,100 times, and the same markup as templates made
  that page 2.7 times slower (87 ms against 32 ms, ``python -m bench.page_timing``).

``highlight`` and ``snippet`` mark search matches in text they escape themselves.
"""

import functools
from html import escape

import babel.numbers
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from conference.core import dates
from conference.core.dates import format_time_range
from conference.core.folding import excerpt_around_match, matched_spans
from conference.core.text import and_separator

register = template.Library()


@register.inclusion_tag("includes/institution_abbr.html")
def institution_abbr(institution):
    """The short name with the full name on hover (“KLU”), or the full name alone."""
    return {"institution": institution}


@register.inclusion_tag("includes/author_list.html")
def author_list(authorships):
    """Authors (or presenters: anything with ``.person`` and ``.affiliation``) in order, each
    with their institution at the time: “A (KLU), B (DUK) and C”."""
    return {"authors": authorships}


@register.simple_tag
def institution_name_in(institution, year):
    """The institution's name in ``year`` with today's beside it when it changed since:
    “Danube University Krems, now University for Continuing Education Krems”."""
    then = institution.name_in(year)
    if then == institution.name:
        return then
    # Translators: an institution's name in a year, then its name today.
    return gettext("%(then)s, now %(name)s") % {"then": then, "name": institution.name}


@register.filter
def list_separator(forloop):
    """What goes before the current item of a ``{% for %}`` loop: "", ", " or " and "."""
    return and_separator(forloop["counter0"], forloop["counter0"] + forloop["revcounter"])


@register.simple_tag
def highlight(text, words):
    """``text`` escaped, with the search's ``words`` (folded: accents and case ignored)
    marked: “<mark>Dvořák</mark>” for “dvorak”."""
    text = str(text or "")
    parts, last = [], 0
    for start, end in matched_spans(text, words):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


@register.simple_tag
def snippet(text, words):
    """The part of ``text`` around its first match, the matches marked; "" without one."""
    return highlight(excerpt_around_match(str(text or ""), words), words)


def _person_at(entry, detailed, note=""):
    """“Name (Institution)”, with links and the institution written out, or the name alone;
    a ``note`` (“presenter”) joins the parentheses and puts the name in bold:
    “**Name** (Institution; presenter)”."""
    person = entry.person
    institution = entry.affiliation if detailed else None
    if detailed:
        html = f'<a href="{escape(person.url)}">{escape(person.full_name)}</a>'
    else:
        html = escape(person.full_name)
    if note:
        html = f"<strong>{html}</strong>"
    inside = []
    if institution is not None:
        inside.append(f'<a href="{escape(institution.url)}">{escape(institution.name)}</a>')
    if note:
        inside.append(escape(note))
    return f"{html} ({'; '.join(inside)})" if inside else html


def _joined(parts):
    """“A”, “A and B”, “A, B and C”."""
    count = len(parts)
    return "".join(and_separator(i, count) + part for i, part in enumerate(parts))


@functools.cache
def _labels(language):
    """The programme's labels in ``language`` (the active one), escaped, translated once per
    process: a large programme repeats them thousands of times, and a message the catalogues
    lack (every one, in English, the source language) walks all of Django's catalogues."""
    return {
        "presented_by": escape(gettext("Presented by")),
        # Translators: said of an author who presented the talk: “A (Institution; presenter)”.
        "presenter": gettext("presenter"),
        # Translators: before a talk's authors: “By A, B and C”.
        "by": escape(gettext("By")),
        # Translators: the label before the discussant of a talk (one person).
        "discussant": gettext("Discussant"),
        # Translators: the label before the discussants of a talk (several people).
        "discussants": gettext("Discussants"),
        # Translators: the label before the person chairing a session (not furniture).
        "chair": gettext("Chair"),
        # Translators: the label before the people chairing a session (not furniture).
        "chairs": gettext("Chairs"),
        "time_not_recorded": escape(gettext("Time not recorded")),
    }


def _people_line(css_class, singular, plural, entries, detailed):
    if not entries:
        return ""
    label = escape(singular if len(entries) == 1 else plural)
    people = _joined([_person_at(entry, detailed) for entry in entries])
    return f'<p class="{css_class}"><span class="label">{label}</span> {people}</p>'


def _talk_authors(talk, detailed):
    """All authors in order. When every author presented: “Presented by A, B and C”;
    otherwise “By A (Institution; presenter), B and C”, the presenters in bold and said in
    words. Not ``detailed`` (a day of a large programme): the presenters' names and how many
    co-authors they had, the full list being on the session's page."""
    authors = talk.authors
    if not authors:
        return ""
    presenters = [author for author in authors if author.is_presenter]
    labels = _labels(get_language())
    if not detailed and presenters:
        names = _joined([escape(author.person.full_name) for author in presenters])
        others = len(authors) - len(presenters)
        co_authors = ""
        if others:
            # Translators: follows the presenters' names: “Presented by A with 2 co-authors”.
            with_others = ngettext(
                "with %(count)d co-author", "with %(count)d co-authors", others
            ) % {"count": others}
            co_authors = f" {escape(with_others)}"
        return (
            f'<p class="talk__authors"><span class="label">{labels["presented_by"]}'
            f"</span> {names}{co_authors}</p>"
        )
    if len(presenters) == len(authors):
        names = [_person_at(author, detailed) for author in authors]
        return (
            f'<p class="talk__authors"><span class="label">{labels["presented_by"]}'
            f"</span> {_joined(names)}</p>"
        )
    presenter = labels["presenter"]
    names = [
        _person_at(author, detailed, presenter)
        if author.is_presenter
        else _person_at(author, detailed)
        for author in authors
    ]
    by = labels["by"]
    return f'<p class="talk__authors"><span class="label">{by}</span> {_joined(names)}</p>'


def _talk(talk, detailed):
    time = format_time_range(talk.start, talk.end)
    when = f'<span class="talk__time">{time}</span> ' if time else ""
    paper = talk.paper
    labels = _labels(get_language())
    discussants = _people_line(
        "talk__discussants",
        labels["discussant"],
        labels["discussants"],
        talk.discussants,
        detailed,
    )
    return (
        f'<li><p class="talk__title">{when}<a href="{escape(paper.url)}">{escape(paper.title)}'
        f"</a></p>{_talk_authors(talk, detailed)}{discussants}</li>"
    )


@register.simple_tag
def programme_talks(talks, detailed=True):
    """A list of talks (the programme reader's records), in order: title, all authors with
    the presenters marked, discussants; ``detailed`` adds links and institutions."""
    if not talks:
        return ""
    items = "".join(_talk(talk, detailed) for talk in talks)
    return mark_safe(f'<ol class="talks">{items}</ol>')


@register.simple_tag
def session_people(entries, singular, plural, detailed=True):
    """“Chair A (Institution)” / “Chairs A and B”: people with their institution then."""
    return mark_safe(_people_line("session__people", singular, plural, entries, detailed))


def _session_when(session):
    parts = [format_time_range(session.start, session.end)]
    if session.room is not None:
        parts.append(escape(session.room.name))
    return " · ".join(part for part in parts if part)


@functools.cache
def _talk_count(language, count):
    # The message the admin's programme summary writes "{{ counter }} talk" with.
    return escape(ngettext("%(counter)s talk", "%(counter)s talks", count) % {"counter": count})


def _session(session, detailed, overview=False):
    language = get_language()
    labels = _labels(language)
    when = _session_when(session) or labels["time_not_recorded"]
    chairs = _people_line(
        "session__people", labels["chair"], labels["chairs"], session.chairs, detailed
    )
    if overview:
        # The timetable of a large programme: how many talks, listed on the session's page.
        talks = (
            f'<p class="session__talk-count">{_talk_count(language, session.talk_count)}</p>'
            if session.talk_count
            else ""
        )
    else:
        talks = programme_talks(session.talks, detailed)
    return (
        f'<article class="session session--{escape(session.kind)}" '
        f'id="session-{escape(session.slug)}">'
        f'<p class="session__when">{when}</p>'
        f'<h4 class="session__title"><a href="{escape(session.url)}">'
        f"{escape(session.title)}</a></h4>"
        f'<p class="session__kind">{escape(session.kind_label)}</p>'
        f"{chairs}"
        f"{talks}"
        "</article>"
    )


def parallel_slots(sessions):
    """Sessions grouped into rows of parallel ones: timed sessions whose times overlap (or
    that start together) share a row, in order of their start; a session without times is a
    row of its own."""
    slots, current, current_start, current_end = [], [], None, None
    for session in sessions:
        if session.start is None:
            if current:
                slots.append(current)
                current = []
            slots.append([session])
            continue
        end = session.end or session.start
        if current and (session.start < current_end or session.start == current_start):
            current.append(session)
            current_end = max(current_end, end)
        else:
            if current:
                slots.append(current)
            current, current_start, current_end = [session], session.start, end
    if current:
        slots.append(current)
    return slots


@register.simple_tag
def programme_sessions(day, detailed=True, overview=False):
    """A day's sessions, parallel ones side by side (a row of columns on a wide screen, one
    under the other on a phone); in an ``overview`` (a large programme's timetable) each
    says how many talks it holds instead of listing them."""
    rows = []
    for slot in parallel_slots(day.sessions):
        columns = len(slot)
        sessions = "".join(_session(session, detailed, overview) for session in slot)
        rows.append(f'<div class="slot slot--{min(columns, 4)}">{sessions}</div>')
    return mark_safe("".join(rows))


class GroupedNumber(int):
    """A count that prints with the active language's digit grouping (12,345; 12 345;
    12.345) and is still the number a ``{% blocktranslate count %}`` chooses its plural by."""

    def __str__(self):
        if -1000 < self < 1000:  # no language of the site groups fewer than four digits
            return int.__str__(self)
        return babel.numbers.format_decimal(int(self), locale=dates.babel_locale())


@register.filter
def grouped(number):
    """``{% blocktranslate count counter=paginator.count|grouped %}``: see GroupedNumber."""
    return GroupedNumber(number) if isinstance(number, int) else number


@register.filter
def long_date(date):
    """``{{ date|long_date }}``: 11 May 2023, 11 mai 2023, 11. Mai 2023."""
    return dates.format_date(date)


@register.filter
def weekday_date(date):
    """``{{ date|weekday_date }}``: Thursday, 11 May 2023; jeudi 11 mai 2023."""
    return dates.format_weekday_date(date)


@register.filter
def weekday(date):
    """``{{ date|weekday }}``: Thursday, 11 May; jeudi 11 mai; Donnerstag, 11. Mai."""
    return dates.format_weekday(date)


@register.inclusion_tag("includes/programme/session_index.html")
def session_index(programme):
    """Every session of the programme by day, each a link to its page: “09:00 Title · Room”."""
    return {"programme": programme}
