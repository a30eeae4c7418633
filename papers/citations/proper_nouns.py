"""The proper nouns the archive knows, which BibTeX titles brace against sentence-casing.

biblatex-apa (like every sentence-case style) lowercases each word of a title but the first,
so "Coproduction in Ålesund and Tromsø" would print "ålesund and tromsø" unless the names are
braced. Which capitalised words are names is only known from the data: the cities and
countries of meetings and institutions, institutions' names, and the family names of people
and organisations credited on works.
"""

from django_countries import countries

from conference.meetings.models import Meeting
from people.models import Institution, Person


def archive_proper_nouns() -> frozenset[str]:
    """Names to protect in titles: three queries, whatever the archive's size."""
    values = set()
    for row in Institution.objects.values_list("name", "short_name", "city"):
        values.update(row)
    values.update(Meeting.objects.values_list("city", flat=True))
    values.update(Person.objects.values_list("family_name", flat=True))
    # Every country, not only those of recorded meetings: titles name countries freely.
    values.update(name for _, name in countries)
    names = {" ".join(str(value).split()) for value in values if value}
    return frozenset(name for name in names if name[:1].isupper())
