"""Pairs of person records that may be one person, for organizers to merge or keep apart.

A pair is listed when the two share an ORCID iD, or have the same family name (accents,
case and transliteration aside) and given names that agree ("T." and "Trui", "Noella"
and "Noëlla"), or when one's whole name is one of the other's recorded names. Two people
with different ORCID iDs are never listed, nor a pair marked "not the same".
"""

from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext as _

from conference.core.text import transliterate
from people.models import NotDuplicate, Person, name_key, person_full_name

REPORT_COLUMNS = ("pk", "given_name", "family_name", "orcid", "other_names", "is_organisation")


@dataclass(frozen=True)
class PossibleDuplicate:
    first: Person
    second: Person
    reason: str


def folded_key(name):
    """``name_key`` after transliteration: "Михаил Šik" and "Mikhail Sik" are one key."""
    return name_key(transliterate(name or ""))


def given_names_agree(first, second):
    """Each word of one given name is the other's word or its initial ("T." / "Trui",
    "Anne M." / "Anne Marie"); an empty given name agrees only with an empty one."""
    first_words, second_words = folded_key(first).split(), folded_key(second).split()
    if not first_words or not second_words:
        return first_words == second_words
    for one, other in zip(first_words, second_words, strict=False):
        if one == other:
            continue
        if len(one) == 1 and other.startswith(one) or len(other) == 1 and one.startswith(other):
            continue
        return False
    return True


def _variants(row):
    return [line.strip() for line in row["other_names"].splitlines() if line.strip()]


def _reason(first, second):
    if first["orcid"] and first["orcid"] == second["orcid"]:
        return _("same ORCID iD")
    if first["orcid"] and second["orcid"]:
        return ""
    if first["is_organisation"] != second["is_organisation"]:
        return ""
    first_name = person_full_name(first["given_name"], first["family_name"])
    second_name = person_full_name(second["given_name"], second["family_name"])
    if folded_key(first_name) == folded_key(second_name):
        if first_name == second_name:
            return _("same name")
        return _("same name after folding accents and transliteration")
    same_family = folded_key(first["family_name"]) == folded_key(second["family_name"])
    if same_family and given_names_agree(first["given_name"], second["given_name"]):
        return _("same family name, compatible given names (%(first)s / %(second)s)") % {
            "first": first_name,
            "second": second_name,
        }
    if any(folded_key(name) == folded_key(second_name) for name in _variants(first)) or any(
        folded_key(name) == folded_key(first_name) for name in _variants(second)
    ):
        return _("one's name is among the other's other names")
    return ""


def _family_keys(row):
    keys = {folded_key(row["family_name"])}
    for name in _variants(row):
        words = folded_key(name).split()
        if words:
            keys.add(words[-1])
    return keys


def possible_duplicates(people=None):
    """``[PossibleDuplicate]`` among ``people`` (every person by default), by family name.

    Two queries whatever the number of people and names: the rows, then the marks. People
    are compared only within a family name (or a recorded name's last word), so the work
    grows with the size of the largest family, not with the square of the archive.
    """
    rows = list((people or Person.objects.all()).order_by("pk").values(*REPORT_COLUMNS))
    families, by_orcid = {}, {}
    for row in rows:
        for key in _family_keys(row):
            families.setdefault(key, []).append(row)
        if row["orcid"]:
            by_orcid.setdefault(row["orcid"], []).append(row)
    kept_apart = set(NotDuplicate.objects.values_list("first_id", "second_id"))
    found = {}
    for group in [*families.values(), *by_orcid.values()]:
        for first, second in combinations(group, 2):
            pair = (first["pk"], second["pk"])
            if pair in found or pair in kept_apart:
                continue
            reason = _reason(first, second)
            if reason:
                found[pair] = reason
    records = Person.objects.in_bulk({pk for pair in found for pk in pair})
    return sorted(
        (
            PossibleDuplicate(records[first], records[second], reason)
            for (first, second), reason in found.items()
        ),
        key=lambda pair: (pair.first.family_name, pair.first.given_name, pair.first.pk),
    )
