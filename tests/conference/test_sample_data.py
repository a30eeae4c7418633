import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min

from bench.sample_data import format_orcid, format_ror, generate_sample_data
from conference.core.identifiers import normalize_doi, normalize_orcid, normalize_ror
from conference.meetings.models import CommitteeMember, Meeting, MeetingTopic, Topic
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation
from people.models import Affiliation, Institution, Person

SMALL = 0.005


def snapshot():
    """What a visitor would notice if the data changed: names, titles and addresses."""
    return {
        "people": list(
            Person.objects.order_by("slug").values_list(
                "slug", "given_name", "family_name", "orcid"
            )
        ),
        "papers": list(Paper.objects.order_by("slug").values_list("slug", "title", "year", "doi")),
        "meetings": list(
            Meeting.objects.order_by("slug").values_list("slug", "title", "start_date")
        ),
        "institutions": list(Institution.objects.order_by("slug").values_list("slug", "name")),
        "authors": list(
            Authorship.objects.order_by("paper__slug", "position").values_list(
                "paper__slug", "person__slug", "affiliation__slug"
            )
        ),
        "programme": list(
            Presentation.objects.order_by("meeting__slug", "position").values_list(
                "meeting__slug", "paper__slug"
            )
        ),
    }


def test_orcid_check_digit_matches_the_orcid_examples():
    assert format_orcid("000000021825009") == "0000-0002-1825-0097"
    assert format_orcid("000000021694233") == "0000-0002-1694-233X"


def test_ror_ids_pass_the_check_digits():
    for number in (0, 1, 12345, 32**6 - 1):
        assert normalize_ror(format_ror(number)) == format_ror(number)


@pytest.mark.django_db
def test_same_seed_gives_the_same_archive():
    generate_sample_data(scale=SMALL, seed=7)
    first = snapshot()

    generate_sample_data(scale=SMALL, seed=7, flush=True)

    assert snapshot() == first
    assert len(first["people"]) == 200


@pytest.mark.django_db
def test_another_seed_gives_other_people_and_titles():
    generate_sample_data(scale=SMALL, seed=7)
    first = snapshot()

    generate_sample_data(scale=SMALL, seed=8, flush=True)

    second = snapshot()
    assert second["people"] != first["people"]
    assert second["papers"] != first["papers"]


@pytest.mark.django_db
def test_counts_grow_with_the_scale():
    small = generate_sample_data(scale=SMALL, seed=1).counts
    generate_sample_data(scale=2 * SMALL, seed=1, flush=True)

    assert Person.objects.count() == 2 * small["people"] == 400
    assert Paper.objects.count() == 2 * small["papers"] == 200
    assert Meeting.objects.count() == 2 * small["meetings"] == 2
    assert Institution.objects.count() == 20 + 4  # and the organisations that run the series
    assert 3 * 200 <= Authorship.objects.count() <= 5 * 200
    assert 180 <= Presentation.objects.count() <= 200


@pytest.mark.django_db
def test_one_meeting_has_400_presentations_and_is_reported():
    summary = generate_sample_data(scale=0.1, seed=1, progress=None)

    counts = Meeting.objects.annotate(n=Count("presentations")).order_by("-n")
    assert summary.largest_meeting_presentations == 400
    assert counts[0].slug == summary.largest_meeting_slug
    assert counts[0].n == 400
    assert counts[1].n < 400
    assert Meeting.objects.count() == 20
    assert Meeting.objects.values("series").distinct().count() == 3


@pytest.mark.django_db
def test_every_presenter_is_an_author_of_the_presented_work():
    generate_sample_data(scale=SMALL, seed=3)

    assert Presenter.objects.exists()
    assert not Presenter.objects.exclude(authorship__paper=F("presentation__paper")).exists()
    assert not Presentation.objects.filter(presenters__isnull=True).exists()


@pytest.mark.django_db
def test_works_have_one_to_eight_authors_from_shared_institutions():
    generate_sample_data(scale=SMALL, seed=3)

    per_paper = Paper.objects.annotate(n=Count("authorships")).aggregate(
        fewest=Min("n"), most=Max("n")
    )
    assert per_paper["fewest"] >= 1
    assert per_paper["most"] <= 8
    assert not Authorship.objects.filter(affiliation__isnull=True).exists()
    busiest = Institution.objects.annotate(n=Count("authorships")).aggregate(most=Max("n"))
    assert busiest["most"] > 5


@pytest.mark.django_db
def test_generated_rows_pass_validation_unchanged():
    """full_clean() runs every validator and constraint and normalises text: nothing may change,
    since bulk_create skipped save()."""
    generate_sample_data(scale=SMALL, seed=5)
    models = [
        Institution,
        Person,
        Affiliation,
        Topic,
        Meeting,
        MeetingTopic,
        CommitteeMember,
        Paper,
        Authorship,
        Presentation,
        Presenter,
        WorkRelation,
    ]
    for model in models:
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            before = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
            row.full_clean()
            after = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
            assert after == before, row


@pytest.mark.django_db
def test_identifiers_are_valid_and_stored_in_canonical_form():
    generate_sample_data(scale=0.02, seed=2)

    orcids = list(Person.objects.exclude(orcid="").values_list("orcid", flat=True))
    dois = list(Paper.objects.exclude(doi="").values_list("doi", flat=True))
    rors = list(Institution.objects.exclude(ror_id="").values_list("ror_id", flat=True))
    assert orcids and dois and rors
    assert all(normalize_orcid(orcid) == orcid for orcid in orcids)
    assert all(normalize_doi(doi) == doi for doi in dois)
    assert all(normalize_ror(ror) == ror for ror in rors)
    assert Paper.objects.filter(kind=Paper.Kind.JOURNAL_ARTICLE).exclude(doi="").exists()


@pytest.mark.django_db
def test_names_come_from_several_languages():
    generate_sample_data(scale=0.02, seed=2)

    names = set(Person.objects.values_list("family_name", flat=True))
    given = set(Person.objects.values_list("given_name", flat=True))
    assert {"Müller", "Ñúñez", "van der Berg"} & names
    assert any(not name.isascii() for name in names)
    assert any(not name.isascii() for name in given)
    assert WorkRelation.objects.filter(kind=WorkRelation.Kind.EXTENDS).exists()
    assert WorkRelation.objects.filter(kind=WorkRelation.Kind.CITES).exists()


@pytest.mark.django_db
def test_command_refuses_an_archive_with_data(demo_data):
    people = Person.objects.count()

    with pytest.raises(CommandError, match="--append .* --flush-sample"):
        call_command("generate_sample_data", scale=SMALL, stdout=io.StringIO())

    assert Person.objects.count() == people


@pytest.mark.django_db
def test_command_appends_next_to_existing_data(demo_data):
    people = Person.objects.count()

    call_command("generate_sample_data", scale=SMALL, append=True, quiet=True, stdout=io.StringIO())
    call_command("generate_sample_data", scale=SMALL, append=True, quiet=True, stdout=io.StringIO())

    assert Person.objects.count() == people + 400
    assert Person.objects.filter(slug="noella-edelmann").exists()


@pytest.mark.django_db
def test_command_flushes_the_archive_and_prints_the_largest_meeting(demo_data):
    out = io.StringIO()

    call_command("generate_sample_data", scale=SMALL, flush_sample=True, stdout=out)

    assert not Person.objects.filter(slug="noella-edelmann").exists()
    assert Person.objects.count() == 200
    lines = out.getvalue().splitlines()
    assert lines[0] == "Generating sample data at scale 0.005 with seed 1…"
    assert any(line.startswith("people ") and "200 rows" in line for line in lines)
    assert lines[-1] == Meeting.objects.get().slug


@pytest.mark.django_db
def test_command_quiet_prints_only_the_slug():
    out = io.StringIO()

    call_command("generate_sample_data", scale=SMALL, quiet=True, stdout=out)

    assert out.getvalue() == Meeting.objects.get().slug + "\n"


@pytest.mark.parametrize("scale", ["0", "-1", "51"])
def test_command_rejects_a_scale_out_of_range(scale):
    with pytest.raises(CommandError, match="--scale must be above 0"):
        call_command("generate_sample_data", "--scale", scale)


@pytest.mark.django_db(transaction=True)
def test_generated_data_is_visible_through_the_page_cache(client, settings):
    """bulk_create sends no signals: the generator bumps the data version itself."""
    from django.core.cache import cache

    settings.PAGE_CACHE = True
    cache.clear()
    generate_sample_data(scale=SMALL, seed=3)
    assert client.get("/")["X-Cache"] == "miss"
    before = client.get("/")
    assert before["X-Cache"] == "hit"

    generate_sample_data(scale=SMALL, seed=4, flush=True)

    after = client.get("/")
    assert after["X-Cache"] == "miss"
    assert after.content != before.content
    for meeting in Meeting.objects.all():
        assert meeting.get_absolute_url() in after.content.decode()
    cache.clear()
