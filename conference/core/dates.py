"""Human-readable date ranges, as programmes print them."""


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
