"""People and institutions over time, from every record that ties one to the other:
recorded affiliations, the affiliation on each authorship, and committee seats.

A person whose institution was only ever entered on their works still shows it, with the
years of those works; an institution lists everyone any record places there.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext, pgettext_lazy

from people.models import Institution, linking_records

# Shown after “from”: “Professor · from affiliation, works”.
SOURCE_LABELS = {
    "affiliation": pgettext_lazy("source of a person's institution", "affiliation"),
    "works": pgettext_lazy("source of a person's institution", "works"),
    "committee": pgettext_lazy("source of a person's institution", "organizing committee"),
}


@dataclass
class Link:
    """One person at one institution: the years the records give, and which records."""

    years: set = field(default_factory=set)
    current: bool = False
    roles: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    work_count: int = 0

    def add(self, record):
        start, end = record["year_from"], record["year_to"]
        if record["source"] == "affiliation":
            if start and end:
                self.years.update(range(start, end + 1))
            elif start or end:
                self.years.add(start or end)
            self.current = self.current or end is None
        elif start:
            self.years.add(start)
        if record["source"] == "works":
            self.work_count += 1
        # A committee seat's role ("member") says nothing about the person's post there.
        if (
            record["source"] == "affiliation"
            and record["role"]
            and record["role"] not in self.roles
        ):
            self.roles.append(record["role"])
        if record["source"] not in self.sources:
            self.sources.append(record["source"])

    @property
    def first_year(self):
        return min(self.years) if self.years else None

    @property
    def last_year(self):
        return max(self.years) if self.years else None

    @property
    def period(self):
        """“2019–2023”, “since 2021”, “2023” or “” when no record gives a year."""
        if not self.years:
            return ""
        if self.current:
            return gettext("since %(year)s") % {"year": self.first_year}
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def source_labels(self):
        return [SOURCE_LABELS[source] for source in self.sources]

    def sort_key(self):
        return (not self.current, -(self.last_year or 0), -(self.first_year or 0))


def _links(records, key):
    links = {}
    for record in records:
        links.setdefault(record[key], Link()).add(record)
    return links


def institutions_over_time(person):
    """``[(institution, Link)]``, current and most recent first, in three queries (the
    institutions' names too, to name each as it was then)."""
    links = _links(linking_records(person=person), "institution_id")
    institutions = Institution.objects.with_names().in_bulk(list(links))
    timeline = [(institutions[pk], link) for pk, link in links.items() if pk in institutions]
    return sorted(timeline, key=lambda item: (item[1].sort_key(), item[0].name))


def people_over_time(institution):
    """``({person_id: Link}, [(year, number of people)])`` for an institution's page, newest
    year first, in one query."""
    links = _links(linking_records(institution=institution), "person_id")
    per_year = {}
    for link in links.values():
        for year in link.years:
            per_year[year] = per_year.get(year, 0) + 1
    return links, sorted(per_year.items(), reverse=True)
