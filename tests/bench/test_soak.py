import threading
import time

import pytest

from bench import soak
from bench.soak import (
    Http,
    ReaderRun,
    SoakResult,
    Write,
    expected_state,
    find_lost_writes,
    format_table,
    parse_arguments,
    title_is_shown,
)

AUTHORS = [
    {"person": "trui-steen", "position": 1, "affiliation": "klu"},
    {"person": "noella-edelmann", "position": 2, "affiliation": "duk"},
]
WORK = ("work", "soak-run-1")
ENTRY = ("presentation", "coproduction-2023-nijmegen", "soak-run-1")


def writes():
    return [
        Write("create work", WORK, {"title": "Soak 1", "authors": AUTHORS}, 201),
        Write("edit title", WORK, {"title": "Soak 1 edited"}, 200),
        Write(
            "create presentation",
            ENTRY,
            {"position": 1001, "session": "A", "presenters": ["trui-steen"]},
            201,
        ),
        Write(
            "put presentation",
            ENTRY,
            {"position": 1001, "session": "B", "presenters": ["noella-edelmann"]},
            200,
        ),
    ]


def test_expected_state_keeps_the_last_acknowledged_value_of_each_field():
    assert expected_state(writes()) == {
        WORK: {"title": "Soak 1 edited", "authors": AUTHORS},
        ENTRY: {"position": 1001, "session": "B", "presenters": ["noella-edelmann"]},
    }


def test_no_lost_writes_when_the_database_has_every_acknowledged_value():
    stored = expected_state(writes())

    assert find_lost_writes(expected_state(writes()), stored) == []


def test_a_missing_record_is_a_lost_write():
    stored = {ENTRY: {"position": 1001, "session": "B", "presenters": ["noella-edelmann"]}}

    assert find_lost_writes(expected_state(writes()), stored) == [
        "work soak-run-1: acknowledged but not in the database"
    ]


def test_an_older_value_or_a_changed_author_order_is_a_lost_write():
    stored = expected_state(writes())
    stored[WORK] = {"title": "Soak 1", "authors": list(reversed(AUTHORS))}

    lost = find_lost_writes(expected_state(writes()), stored)

    assert lost[0] == "work soak-run-1: title is 'Soak 1', acknowledged 'Soak 1 edited'"
    assert lost[1].startswith("work soak-run-1: authors is [{'person': 'noella-edelmann'")
    assert len(lost) == 2


def test_a_lost_presenter_change_names_the_programme_entry():
    stored = expected_state(writes())
    stored[ENTRY] = {**stored[ENTRY], "presenters": ["trui-steen"]}

    assert find_lost_writes(expected_state(writes()), stored) == [
        "presentation coproduction-2023-nijmegen/soak-run-1: presenters is ['trui-steen'], "
        "acknowledged ['noella-edelmann']"
    ]


def test_title_is_found_escaped_in_html_and_encoded_in_json():
    title = 'Cities & "co-creation" <now>'

    assert title_is_shown("<h1>Cities &amp; &quot;co-creation&quot; &lt;now&gt;</h1>", title)
    assert title_is_shown('{"title": "Cities & \\"co-creation\\" <now>"}', title)
    assert not title_is_shown("<h1>Cities &amp; co-creation</h1>", title)


def passing_result():
    return SoakResult(
        seconds=30,
        readers=[ReaderRun("home", "/", requests=3000, errors=0, seconds=30.0)],
        writes=writes(),
        cache="redis://127.0.0.1:6379/13",
    )


def test_a_clean_run_passes():
    assert passing_result().failures() == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"readers": [ReaderRun("home", "/", 10, errors=2, seconds=1)]}, "2 reader errors"),
        ({"write_errors": ["create x: HTTP 500"]}, "1 writer errors"),
        ({"stale_reads": ["/papers/x/ does not show ..."]}, "1 stale reads"),
        ({"lost_writes": ["work x: acknowledged but not in the database"]}, "1 lost writes"),
        ({"writes": []}, "no write was acknowledged"),
    ],
)
def test_any_error_stale_read_or_lost_write_fails_the_run(change, reason):
    result = passing_result()
    for name, value in change.items():
        setattr(result, name, value)

    failures = result.failures()

    assert len(failures) == 1
    assert failures[0].startswith(reason)


def test_table_shows_rates_writes_and_problem_counts():
    result = passing_result()
    result.stale_reads = ["/papers/x/ does not show 'x'"]

    table = format_table(result)

    assert "home" in table and "3,000" in table and "100.0" in table
    assert (
        "writes acknowledged  4 in 30 s (0.1/s): 1 create work, 1 edit title, "
        "1 create presentation, 1 put presentation"
    ) in table
    assert "errors               0" in table
    assert "stale reads          1" in table
    assert "lost writes          0" in table


def test_http_client_refuses_anything_but_loopback():
    with pytest.raises(ValueError, match="loopback"):
        Http("http://example.org:80")


def test_smoke_runs_briefly_at_a_small_scale_in_a_database_of_its_own():
    arguments = parse_arguments(["--smoke"])

    assert (arguments.seconds, arguments.scale) == (5, 0.01)
    assert arguments.database_url.endswith("/conf_soak_smoke")
    assert parse_arguments([]).seconds == 30
    assert parse_arguments([]).scale == 0.05


def test_the_soak_cuts_redis_midway_by_default():
    assert parse_arguments([]).redis_cut_seconds == 4
    assert parse_arguments(["--smoke"]).redis_cut_seconds == 1.5
    assert parse_arguments(["--redis-cut-seconds", "0"]).redis_cut_seconds == 0


def test_a_redis_cut_longer_than_half_the_run_is_refused(capsys):
    with pytest.raises(SystemExit):
        parse_arguments(["--seconds", "6", "--redis-cut-seconds", "4"])

    assert "--redis-cut-seconds must be between 0 and half of --seconds" in capsys.readouterr().err


def test_a_redis_cut_is_shown_in_the_table():
    result = SoakResult(seconds=30, redis_cut=["4.1 s; the probe's 12 reads during it: 0 failed"])

    assert "redis cut            4.1 s; the probe's 12 reads during it: 0 failed" in format_table(
        result
    )


class FakeReaders:
    def __init__(self, log):
        self.log = log

    def start(self):
        self.log.append("readers start")

    def results(self):
        self.log.append("readers results")
        return ["reader run"]

    def stop(self):
        self.log.append("readers stop")


class FakeChecker(threading.Thread):
    def __init__(self, log):
        super().__init__(daemon=True)
        self.log = log
        self.done = threading.Event()

    def run(self):
        self.done.wait(10)

    def finish(self):
        self.log.append("checker finish")
        self.done.set()


class FakeWriter(threading.Thread):
    def __init__(self, stop, *, fail_after=None):
        super().__init__(daemon=True)
        self.stop, self.fail_after = stop, fail_after

    def run(self):
        self.stop.wait(self.fail_after if self.fail_after is not None else 10)


def test_run_load_runs_for_its_seconds_calls_midway_and_stops_everything():
    log, stop = [], threading.Event()
    writer, checker = FakeWriter(stop), FakeChecker(log)
    elapsed = []

    runs = soak.run_load(
        readers=FakeReaders(log),
        writer=writer,
        checker=checker,
        stop=stop,
        seconds=0.5,
        before=lambda: log.append("before"),
        midway=elapsed.append,
        after_stop=lambda: log.append("after stop"),
    )

    assert runs == ["reader run"]
    assert log[:2] == ["before", "readers start"]
    assert log[-2:] == ["readers stop", "after stop"]
    assert stop.is_set() and not writer.is_alive() and not checker.is_alive()
    assert len(elapsed) >= 2 and elapsed == sorted(elapsed) and elapsed[-1] < 0.5


def test_run_load_ends_early_when_the_writer_dies_and_stops_everything_on_an_error():
    log, stop = [], threading.Event()
    started = time.monotonic()
    soak.run_load(
        readers=FakeReaders(log),
        writer=FakeWriter(threading.Event(), fail_after=0.1),
        checker=FakeChecker(log),
        stop=stop,
        seconds=30,
    )
    assert time.monotonic() - started < 5

    log, stop = [], threading.Event()

    def break_midway(elapsed):
        raise RuntimeError("proxy gone")

    with pytest.raises(RuntimeError):
        soak.run_load(
            readers=FakeReaders(log),
            writer=FakeWriter(stop),
            checker=FakeChecker(log),
            stop=stop,
            seconds=30,
            midway=break_midway,
            after_stop=lambda: log.append("after stop"),
        )
    assert stop.is_set()
    assert log[-2:] == ["readers stop", "after stop"]
