"""bench/page_timing.py: the largest meeting's page timed in-process, as a ratio to /healthz."""

import re

import pytest

from bench import page_timing
from bench.sample_data import generate_sample_data, largest_meeting


@pytest.mark.django_db
def test_times_the_largest_meeting_page_against_healthz(capsys):
    generate_sample_data(scale=0.01, seed=1)

    assert page_timing.main(["--repeat", "2"]) == 0

    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{largest_meeting().get_absolute_url()}: median ")
    assert re.search(r"ms, \d+× /healthz \(\d+\.\d{3} ms\), \d+ KB$", line), line


@pytest.mark.django_db
def test_a_page_that_does_not_answer_stops_the_run():
    with pytest.raises(SystemExit, match="/no-such-page/ answered 404"):
        page_timing.main(["/no-such-page/"])
