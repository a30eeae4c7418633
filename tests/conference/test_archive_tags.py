"""The programme's template tags (conference/core/templatetags/archive.py), from hand-built
programme records: parallel sessions grouped into rows, authors in order with presenters
marked, institutions written out, user text escaped."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from conference.core.templatetags.archive import parallel_slots, programme_sessions, programme_talks
from tests.pages import visible_text_of
from tests.papers.programme_records import author, meeting, person, programme, session, talk

DAY = datetime.date(2024, 5, 15)


def at(hour, minute=0):
    return datetime.time(hour, minute)


def test_parallel_slots_group_overlapping_sessions_and_keep_untimed_ones_apart():
    a = session("a", "A", DAY, start=at(9), end=at(10, 30))
    b = session("b", "B", DAY, start=at(9), end=at(10))
    c = session("c", "C", DAY, start=at(10), end=at(11))
    d = session("d", "D", DAY, start=at(11), end=at(12))
    e = session("e", "E", DAY, start=at(11))
    untimed = session("u", "U", DAY)

    slots = parallel_slots([a, b, c, d, e, untimed])

    assert [[s.slug for s in slot] for slot in slots] == [["a", "b", "c"], ["d", "e"], ["u"]]


def test_talks_list_all_authors_in_order_with_presenters_and_discussants():
    record = talk(
        7,
        "Patients as co-producers",
        [
            author("Ana Ruiz", "University of Seville"),
            author("Bo Li", "KU Leuven", presenter=True),
            author("Eva Berg"),
        ],
        discussants=[person("Tina Nabatchi", "Syracuse University")],
        start=at(9),
        end=at(9, 45),
    )

    html = str(programme_talks([record]))

    assert visible_text_of(html).strip() == (
        "09:00–09:45 Patients as co-producers By Ana Ruiz (University of Seville), "
        "Bo Li (KU Leuven; presenter) and Eva Berg "
        "Discussant Tina Nabatchi (Syracuse University)"
    )
    assert (
        '<strong><a href="/people/bo-li/">Bo Li</a></strong> (<a href="/institutions/ku-leuven/">'
        in html
    )


def test_a_talk_every_author_presented_reads_presented_by():
    record = talk(1, "Sustainability", [author("Noella Edelmann", "DUK", presenter=True)])

    compact = visible_text_of(str(programme_talks([record], detailed=False)))

    assert compact.strip() == "Sustainability Presented by Noella Edelmann"


def test_user_text_is_escaped():
    record = talk(1, "<script>alert(1)</script> & co", [author("A <b>B</b>", presenter=True)])
    day = programme(meeting(), [session("s", "Panel <i>", DAY, talks=[record])]).days[0]

    html = str(programme_sessions(day))

    assert "<script>" not in html and "<b>B</b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_a_large_programme_names_the_presenters_and_counts_the_co_authors():
    record = talk(
        3,
        "Patients as co-producers",
        [author("Ana Ruiz", "Seville"), author("Bo Li", presenter=True), author("Eva Berg")],
    )

    compact = visible_text_of(str(programme_talks([record], detailed=False)))

    assert compact.strip() == "Patients as co-producers Presented by Bo Li with 2 co-authors"


@pytest.mark.parametrize(
    ("language", "many", "one"),
    [
        ("en-gb", "12,345 works", "1 work"),
        ("fr", "12\u202f345 travaux", "1 travail"),
        ("nl", "12.345 werken", "1 werk"),
        ("de", "12.345 Arbeiten", "1 Arbeit"),
    ],
)
def test_counts_are_grouped_as_each_language_writes_them_and_keep_their_plural(language, many, one):
    template = Template(
        "{% load i18n archive %}{% blocktranslate trimmed count counter=n|grouped %}"
        "{{ counter }} work{% plural %}{{ counter }} works{% endblocktranslate %}"
    )

    with translation.override(language):
        assert template.render(Context({"n": 12345})) == many
        assert template.render(Context({"n": 1})) == one


@pytest.mark.parametrize(
    ("name", "short_name"),
    [
        ("Katholieke Universiteit Leuven", "KU Leuven"),
        ("Tilburg University", ""),
        ("Radboud University", "Radboud University"),
        ("Université <Paris> & Co", "U&P"),
    ],
)
def test_an_author_list_writes_each_institution_as_institution_abbr_does(name, short_name):
    """author_list.html writes the institution inline (for speed) rather than including
    institution_abbr.html: the two must not drift apart."""
    institution = SimpleNamespace(name=name, short_name=short_name, get_absolute_url=lambda: "/i/")
    writer = SimpleNamespace(
        person=SimpleNamespace(full_name="Trui Steen", get_absolute_url=lambda: "/p/"),
        printed_name="",
        affiliation=institution,
    )
    context = Context({"authors": [writer], "institution": institution})

    in_list = Template("{% load archive %}{% author_list authors %}").render(context)
    alone = Template("{% load archive %}{% institution_abbr institution %}").render(context)

    assert f'(<a href="/i/">{alone}</a>)' in in_list
    assert alone.startswith("<abbr") == bool(short_name and short_name != name)
    assert "<Paris>" not in in_list
