"""Views that answer in the site's own language whatever the visitor reads the site in."""

import functools

from django.conf import settings
from django.utils import translation


def in_site_language(view):
    """Run ``view`` in ``LANGUAGE_CODE``: for files that programs read (iCalendar, frab,
    OAI-PMH, DataCite), whose text must not change with the reader's ``Accept-Language``."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapped
