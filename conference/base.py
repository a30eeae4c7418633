"""Abstract model pieces shared by every app."""

from django.db import models

from conference.history import kept_history
from conference.text import normalize_text, unique_slug


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
        help_text="Used in web addresses. Leave empty to make one from the name.",
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
