"""Human-readable date ranges, as programmes print them; the days and time zone of a meeting."""

import datetime
import functools
import importlib.resources
import zoneinfo

from django.core.exceptions import ValidationError


def format_date_range(start, end):
    """11–12 May 2023; 30 May – 2 June 2023; 30 December 2023 – 2 January 2024."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


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
            f"“{name}” is not a time zone name of the tz database; write it as "
            "Region/City, e.g. Europe/Brussels."
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
