import pytest

from bench.load import LoadError, duration_in_ms, parse_wrk_output, wrk_command

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:8123/healthz
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.12ms    1.23ms  30.12ms   90.00%
    Req/Sec     1.12k   100.00     1.30k    70.00%
  Latency Distribution
     50%  812.00us
     75%    7.50ms
     90%    8.20ms
     99%    1.20s
  22345 requests in 10.01s, 3.45MB read
  Socket errors: connect 0, read 1, write 0, timeout 3
  Non-2xx or 3xx responses: 12
Requests/sec:   2232.45
Transfer/sec:    352.10KB
"""


def test_wrk_report_gives_rate_percentiles_and_errors():
    result = parse_wrk_output(WRK_REPORT)

    assert result.requests_per_second == 2232.45
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests == 22345
    assert result.non_success == 12
    assert result.socket_errors == 4
    assert result.errors == 16


def test_wrk_report_without_errors_counts_none():
    clean = "\n".join(
        line for line in WRK_REPORT.splitlines() if "errors" not in line and "Non-2xx" not in line
    )

    assert parse_wrk_output(clean).errors == 0


def test_wrk_report_without_latency_distribution_is_refused():
    without = WRK_REPORT.replace("     50%  812.00us\n", "")

    with pytest.raises(LoadError, match="--latency"):
        parse_wrk_output(without)


@pytest.mark.parametrize(
    ("text", "milliseconds"),
    [("812.00us", 0.812), ("7.12ms", 7.12), ("1.20s", 1200.0), ("2.00m", 120_000.0)],
)
def test_wrk_durations_convert_to_milliseconds(text, milliseconds):
    assert duration_in_ms(text) == pytest.approx(milliseconds)


def test_unknown_duration_unit_is_refused():
    with pytest.raises(LoadError, match="latency"):
        duration_in_ms("3 fortnights")


def test_wrk_command_is_bounded_and_asks_for_latency():
    assert wrk_command("http://127.0.0.1:8000/", threads=2, connections=16, seconds=10) == [
        "wrk",
        "-t2",
        "-c16",
        "-d10s",
        "--latency",
        "--timeout",
        "30s",
        "http://127.0.0.1:8000/",
    ]
