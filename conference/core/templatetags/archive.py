"""Template tags for what pages repeat hundreds of times: author lists with institutions, and
a meeting's programme.

A 400-talk programme names some 500 presenters from 400 institutions; as template loops and
includes that took most of the page's time, as Python functions it takes a fraction. The HTML
is what the templates produced. Text is escaped with ``html.escape``, which is what
``django.utils.html.escape`` does without its lazy-string wrapper: these tags only see ``str``.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from conference.core.folding import excerpt_around_match, matched_spans

register = template.Library()


def _institution_abbr(institution):
    if institution.short_name and institution.short_name != institution.name:
        return f'<abbr title="{escape(institution.name)}">{escape(institution.short_name)}</abbr>'
    return escape(institution.name)


@register.simple_tag
def institution_abbr(institution):
    """The short name with the full name on hover (“KLU”), or the full name alone."""
    return mark_safe(_institution_abbr(institution))


def _author(author):
    person = author.person
    html = f'<a href="{escape(person.get_absolute_url())}">{escape(person.full_name)}</a>'
    institution = author.affiliation
    if institution:
        html += (
            f' <span class="affiliation">(<a href="{escape(institution.get_absolute_url())}">'
            f"{_institution_abbr(institution)}</a>)</span>"
        )
    return html


def _author_list(authorships):
    authors = [_author(author) for author in authorships]
    if len(authors) > 1:
        joined = ", ".join(authors[:-1]) + " and " + authors[-1]
    else:
        joined = "".join(authors)
    return f'<span class="authors">{joined}</span>'


@register.simple_tag
def author_list(authorships):
    """Authors (or presenters: anything with ``.person`` and ``.affiliation``) in order, each
    with their institution at the time: “A (KLU), B (DUK) and C”."""
    return mark_safe(_author_list(authorships))


@register.simple_tag
def programme_entries(programme):
    """The items of a meeting's programme (``conference.meetings.programme``), in order."""
    items = []
    for entry in programme:
        session = (
            f'<p class="programme__session">{escape(entry.session)}</p>' if entry.session else ""
        )
        paper = entry.paper
        items.append(
            '<li class="programme__item">'
            f"{session}"
            f'<h3 class="work__title"><a href="{escape(paper.get_absolute_url())}">'
            f"{escape(paper.title)}</a></h3>"
            '<p class="work__authors"><span class="label">Presented by</span> '
            f"{_author_list(entry.presenters)}</p>"
            "</li>"
        )
    return mark_safe("\n".join(items))


@register.simple_tag
def institution_glossary(institutions):
    """Abbreviation, full name and country of each institution, as ``<dl>`` entries."""
    entries = []
    for institution in institutions:
        country = f", {escape(institution.country_name)}" if institution.country_name else ""
        entries.append(
            f'<div><dt><a href="{escape(institution.get_absolute_url())}">'
            f"{escape(institution.display_short_name)}</a></dt>"
            f"<dd>{escape(institution.name)}{country}</dd></div>"
        )
    return mark_safe("".join(entries))


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
