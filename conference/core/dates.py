"""Human-readable date ranges, as programmes print them; the days and time zone of a meeting."""

import datetime
import functools
import importlib.resources
import re
import zoneinfo

import babel
import babel.dates
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def format_date_range(start, end):
    """A date range in the active language, as programmes print it: 11–12 May 2023,
    30 May – 2 June 2023, 30 December 2023 – 2 January 2024; 11–12 mai 2023; 11.–12. Mai 2023.

    Day and month names and their order come from CLDR (Babel); only the joining is ours, as
    CLDR's interval formats abbreviate the month where programmes spell it out."""
    if start is None:
        return ""
    patterns = _date_patterns(get_language())
    if end is None or end == start:
        return patterns.format(start, patterns.full)
    if patterns.day_first and (start.year, start.month) == (end.year, end.month):
        return f"{patterns.format(start, patterns.day)}–{patterns.format(end, patterns.full)}"
    if patterns.day_first and start.year == end.year:
        return (
            f"{patterns.format(start, patterns.day_month)} – {patterns.format(end, patterns.full)}"
        )
    return f"{patterns.format(start, patterns.full)} – {patterns.format(end, patterns.full)}"


def format_date(date):
    """A date in the active language: 11 May 2023, 11 mai 2023, 11. Mai 2023."""
    if date is None:
        return ""
    patterns = _date_patterns(get_language())
    return patterns.format(date, patterns.full)


def format_day_month(date):
    """A day of the year in the active language: 11 May, 11 mai, 11. Mai."""
    if date is None:
        return ""
    patterns = _date_patterns(get_language())
    return patterns.format(date, patterns.day_month or "MMMM d")


def format_weekday_date(date):
    """A date with its weekday, in the active language's full form (CLDR): Thursday, 11 May
    2023; jeudi 11 mai 2023; Donnerstag, 11. Mai 2023."""
    if date is None:
        return ""
    patterns = _date_patterns(get_language())
    return patterns.format(date, patterns.weekday_full)


def format_weekday(date):
    """A day of a meeting, without the year, in the active language (CLDR's full date less
    the year): Thursday, 11 May; jeudi 11 mai; Donnerstag, 11. Mai."""
    if date is None:
        return ""
    patterns = _date_patterns(get_language())
    return patterns.format(date, patterns.weekday)


class _DatePatterns:
    """CLDR date patterns of one language: the long date (d MMMM y, d. MMMM y) and, where the
    day comes first, its day-and-month and day-only parts (d MMMM, d.)."""

    def __init__(self, language):
        self.locale = babel.Locale.parse(translation.to_locale(language or settings.LANGUAGE_CODE))
        self.full = self.locale.date_formats["long"].pattern
        match = re.fullmatch(r"(d+\.?)(\s+MMMM)\s+y+", self.full)
        self.day_first = match is not None
        self.day = match.group(1) if match else ""
        self.day_month = match.group(1) + match.group(2) if match else ""
        self.weekday_full = self.locale.date_formats["full"].pattern
        self.weekday = re.sub(r"[\s,]*y+", "", self.weekday_full)

    def format(self, date, pattern):
        return babel.dates.format_date(date, pattern, locale=self.locale)


def babel_locale():
    """The CLDR locale of the active language."""
    return _date_patterns(get_language()).locale


@functools.cache
def _date_patterns(language):
    return _DatePatterns(language)


# Countries spanning several zones: the zone of the capital or the most populous region,
# where most meetings happen. Other countries take the first zone the tz database lists.
PRINCIPAL_TIME_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "ID": "Asia/Jakarta",
    "KZ": "Asia/Almaty",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}


@functools.cache
def _zones_by_country():
    zones = {}
    table = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab")
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, name, *_comment = line.split("\t")
            zones.setdefault(code, name)
    return {**zones, **PRINCIPAL_TIME_ZONES}


def country_time_zone(code):
    """The IANA time zone most meetings in country ``code`` keep ("BE" -> "Europe/Brussels"),
    or "" for no or an unknown country."""
    return _zones_by_country().get(str(code or "").upper(), "")


def validate_time_zone(name):
    if name and name not in zoneinfo.available_timezones():
        raise ValidationError(
            _(
                "“%(name)s” is not a time zone name of the tz database; write it as "
                "Region/City, e.g. Europe/Brussels."
            )
            % {"name": name}
        )


def meeting_days(start, end):
    """Every date from ``start`` to ``end``, both included."""
    if start is None or end is None:
        return []
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


def format_time_range(start, end):
    """09:00–10:30, or 09:00 when the end is not known, or ""."""
    if start is None:
        return ""
    if end is None:
        return f"{start:%H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"
