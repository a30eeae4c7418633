from django.core.management import call_command

from people.duplicates import given_names_agree, possible_duplicates
from people.models import NotDuplicate
from people.services import mark_not_duplicate
from tests.factories.people import PersonFactory


def _names(pairs):
    return [(pair.first.full_name, pair.second.full_name, pair.reason) for pair in pairs]


def test_report_finds_initials_and_skips_a_homonym_with_other_orcid(db):
    PersonFactory(given_name="Trui", family_name="Steen")
    PersonFactory(given_name="T.", family_name="Steen")
    PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0002-1825-0097")
    PersonFactory(given_name="Anna", family_name="Berg", orcid="0000-0001-5109-3700")
    PersonFactory(given_name="Tina", family_name="Nabatchi")

    assert _names(possible_duplicates()) == [
        (
            "Trui Steen",
            "T. Steen",
            "same family name, compatible given names (Trui Steen / T. Steen)",
        )
    ]


def test_report_folds_accents_and_transliteration_and_reads_other_names(db):
    PersonFactory(given_name="Noëlla", family_name="Edelmann")
    PersonFactory(given_name="Noella", family_name="Edelmann")
    PersonFactory(given_name="Михаил", family_name="Иванов")
    PersonFactory(given_name="Mikhail", family_name="Ivanov")
    PersonFactory(given_name="Charlotte", family_name="van Dijk", other_names="Charlotte Jansen")
    PersonFactory(given_name="Charlotte", family_name="Jansen")

    folded = "same name after folding accents and transliteration"
    assert sorted(_names(possible_duplicates())) == [
        ("Charlotte van Dijk", "Charlotte Jansen", "one's name is among the other's other names"),
        ("Noëlla Edelmann", "Noella Edelmann", folded),
        ("Михаил Иванов", "Mikhail Ivanov", folded),
    ]


def test_a_pair_marked_not_the_same_is_not_listed_again(db):
    first = PersonFactory(given_name="Trui", family_name="Steen")
    second = PersonFactory(given_name="T.", family_name="Steen")

    mark_not_duplicate(first=second, second=first)
    mark_not_duplicate(first=first, second=second)

    assert possible_duplicates() == []
    assert NotDuplicate.objects.count() == 1


def test_given_names_agree_only_word_by_word():
    assert given_names_agree("T.", "Trui")
    assert given_names_agree("Anne M.", "Anne Marie")
    assert not given_names_agree("Tina", "Trui")
    assert not given_names_agree("", "Trui")


def test_report_costs_the_same_queries_with_few_or_many_people(db, django_assert_num_queries):
    PersonFactory(given_name="Trui", family_name="Steen", other_names="T. Steen")
    PersonFactory(given_name="T.", family_name="Steen")
    with django_assert_num_queries(3):
        assert len(possible_duplicates()) == 1
    for number in range(30):
        PersonFactory(
            given_name="Trui",
            family_name=f"Steen{number}",
            other_names="\n".join(f"T. Variant{n}" for n in range(10)),
        )
    with django_assert_num_queries(3):
        assert len(possible_duplicates()) == 1


def test_command_lists_the_pairs(db, capsys):
    PersonFactory(given_name="Trui", family_name="Steen")
    PersonFactory(given_name="T.", family_name="Steen")

    call_command("find_duplicate_people")

    assert capsys.readouterr().out == (
        "Trui Steen (trui-steen)\tT. Steen (t-steen)\t"
        "same family name, compatible given names (Trui Steen / T. Steen)\n"
        "1 possible duplicate.\n"
    )
