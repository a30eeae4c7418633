"""The site's own language, and views that answer in it whatever the visitor reads."""

import functools

from django.conf import settings
from django.utils import translation


@functools.cache
def site_language():
    """``LANGUAGE_CODE`` as one of ``LANGUAGES`` (the language of unprefixed addresses)."""
    return translation.get_supported_language_variant(settings.LANGUAGE_CODE)


def in_site_language(view):
    """Run ``view`` in ``LANGUAGE_CODE``: for files that programs read (iCalendar, frab,
    OAI-PMH, DataCite), whose text must not change with the reader's ``Accept-Language``."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapped
