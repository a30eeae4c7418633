"""Template tags for what pages repeat hundreds of times: author lists with institutions.

A 400-talk programme renders about 1,200 presenters; as template includes that took most of
the page's time, as one Python function it takes a fraction. The HTML is the same.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def institution_abbr(institution):
    """The short name with the full name on hover (“KLU”), or the full name alone."""
    if institution.short_name and institution.short_name != institution.name:
        return format_html('<abbr title="{}">{}</abbr>', institution.name, institution.short_name)
    return institution.name


def _author(author):
    person = author.person
    html = format_html('<a href="{}">{}</a>', person.get_absolute_url(), person.full_name)
    if author.affiliation:
        institution = author.affiliation
        html += format_html(
            ' <span class="affiliation">(<a href="{}">{}</a>)</span>',
            institution.get_absolute_url(),
            institution_abbr(institution),
        )
    return html


@register.simple_tag
def author_list(authorships):
    """Authors (or presenters: anything with ``.person`` and ``.affiliation``) in order, each
    with their institution at the time: “A (KLU), B (DUK) and C”."""
    authors = [_author(author) for author in authorships]
    if len(authors) > 1:
        joined = mark_safe(", ".join(authors[:-1]) + " and " + authors[-1])
    else:
        joined = mark_safe("".join(authors))
    return format_html('<span class="authors">{}</span>', joined)
