"""Abstract model pieces shared by every app."""

import re

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from conference.core.history import kept_history
from conference.core.text import normalize_text, unique_slug

_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_PLACEHOLDER = "zzslugzz"
_slug_url_templates = {}


def related_model(model, name):
    """The model at the other end of ``model``'s relation ``name``, reverse ones included:
    how a lower app reads a higher one's rows (``related_model(Meeting, "presentations")``)
    without importing it."""
    return model._meta.get_field(name).related_model


def slug_url_builder(view_name):
    """A function ``slug -> reverse(view_name, args=[slug])``, with the URL pattern resolved
    once, for code that builds hundreds of links of one kind.

    A 400-talk programme links some 1,500 people, institutions and works; reversing each
    link through the URL resolver was a fifth of the page's time. Slugs that a URL would
    have to quote take the ordinary path, so every link is the one ``reverse`` builds.
    """
    key = (view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    template = _slug_url_templates.get(key)
    if template is None:
        url = reverse(view_name, args=[_SLUG_PLACEHOLDER])
        template = tuple(url.split(_SLUG_PLACEHOLDER)) if url.count(_SLUG_PLACEHOLDER) == 1 else ()
        _slug_url_templates[key] = template
    if not template:
        return lambda slug: reverse(view_name, args=[slug])
    prefix, suffix = template

    def build(slug):
        if _PLAIN_SLUG.fullmatch(slug or ""):
            return prefix + slug + suffix
        return reverse(view_name, args=[slug])

    return build


def reverse_by_slug(view_name, slug):
    """``reverse(view_name, args=[slug])``, with the URL pattern resolved once per view."""
    return slug_url_builder(view_name)(slug)


def lock_for_update(record):
    """Lock ``record``'s row until the transaction ends and read it again.

    A write that replaces a record's lists (authors, presenters, topics, relations) starts
    from what is stored, not from the copy the caller read (the API's is prefetched, lists
    and all): a second write to the same record waits here until the first has committed,
    instead of mixing the two lists row by row.
    """
    record.refresh_from_db(from_queryset=type(record)._default_manager.select_for_update())


def replace_people_at_the_time(rows, people):
    """Replace the rows of ``rows`` (a record's related manager of people with their
    institution then: a session's chairs, a talk's discussants) by ``people`` (dicts of
    ``person`` and ``affiliation``), numbered in order. Someone who stays on the list keeps
    the name the programme printed for them unless another is given: the editors hand over
    who and which institution, not the spelling."""
    printed = dict(rows.values_list("person_id", "printed_name"))
    # One save per row, not bulk_create: saves record edit history and make pages stale.
    rows.all().delete()
    for position, entry in enumerate(people, start=1):
        person = entry["person"]
        rows.create(
            person=person,
            affiliation=entry.get("affiliation"),
            position=position,
            printed_name=entry.get("printed_name", printed.get(person.pk, "")),
        )


class SlugManager(models.Manager):
    """Fixtures and backups refer to rows by slug (natural keys), never by primary key."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Record(models.Model):
    """A row that organizers edit: timestamps for HTTP caching, a unique slug for URLs."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Used in web addresses. Leave empty to make one from the name."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # Every save and delete is kept with who made it: organizers can see and restore any
    # earlier version, and recover a deleted record, from the admin.
    history = kept_history(inherit=True)

    # Fields whose text is normalised (NFC, no control characters) on clean() and save().
    single_line_fields = ()
    multi_line_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalize_fields()
        if not self.slug:
            self.slug = unique_slug(self, self.slug_source())
        super().save(*args, **kwargs)

    def slug_source(self):
        return str(self)

    def natural_key(self):
        return (self.slug,)

    def normalize_fields(self):
        for name in self.single_line_fields:
            setattr(self, name, normalize_text(getattr(self, name)))
        for name in self.multi_line_fields:
            setattr(self, name, normalize_text(getattr(self, name), single_line=False))

    def clean(self):
        super().clean()
        self.normalize_fields()
