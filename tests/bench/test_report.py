import json

import pytest

from bench.cli import parse_arguments
from bench.database import check_loopback, dataset_label, maintenance_url
from bench.report import BenchReport, Measurement, add_ratios, format_table, summary_line
from bench.server import free_port


def measurements():
    return [
        Measurement("/healthz", "/healthz", "cold", 2000.0, 7.0, 12.0, 0),
        Measurement("meeting page", "/meetings/big/", "cold", 25.0, 600.0, 900.0, 6),
        Measurement("search", "/search/?q=x", "cold", None, None, None, 5, status=500),
    ]


def test_ratios_divide_by_healthz_of_the_same_run():
    rows = add_ratios(measurements())

    assert [row.ratio for row in rows] == [1.0, 0.0125, None]


def test_ratios_are_left_empty_without_a_baseline():
    rows = add_ratios(measurements()[1:])

    assert [row.ratio for row in rows] == [None, None]


def test_table_aligns_numbers_and_marks_missing_values():
    table = format_table(add_ratios(measurements())).splitlines()

    assert table[0].split() == [
        "endpoint",
        "mode",
        "req/s",
        "p50",
        "ms",
        "p99",
        "ms",
        "queries",
        "ratio",
        "note",
    ]
    assert table[2].split() == ["/healthz", "cold", "2,000.0", "7.0", "12.0", "0", "1.000"]
    assert table[3].split() == ["meeting", "page", "cold", "25.0", "600.0", "900.0", "6", "0.013"]
    assert table[4].split() == ["search", "cold", "–", "–", "–", "5", "–"]
    assert len({len(line) for line in table[:2]}) == 1


def test_summary_is_one_line_naming_the_baseline_and_ratios():
    report = BenchReport(scale=1, seed=1, started_at="2025-01-01T00:00:00+00:00")
    report.measurements = add_ratios(measurements())
    report.measurements[1].errors = 3

    line = summary_line(report)

    assert "\n" not in line
    assert line == (
        "bench scale=1; cold /healthz 2000 req/s | ratios: meeting page=0.013 search=– "
        "| 3 failed requests"
    )


def test_report_is_written_as_json():
    report = BenchReport(scale=0.01, seed=2, started_at="2025-01-01T00:00:00+00:00")
    report.measurements = add_ratios(measurements())

    data = json.loads(report.to_json())

    assert data["scale"] == 0.01
    assert data["measurements"][1]["endpoint"] == "meeting page"
    assert data["measurements"][1]["ratio"] == 0.0125


def test_smoke_mode_is_small_short_and_uses_its_own_database():
    arguments = parse_arguments(["--smoke"])

    assert arguments.scale == 0.01
    assert arguments.duration == 2
    assert arguments.database_url.endswith("/conf_bench_smoke")


def test_full_run_defaults_to_scale_1_and_ten_seconds():
    arguments = parse_arguments([])

    assert (arguments.scale, arguments.duration, arguments.workers) == (1.0, 10, 2)
    assert arguments.database_url.endswith("/conf_bench")


def test_database_must_be_on_loopback():
    check_loopback("postgres://postgres@127.0.0.1:5432/conf_bench")
    with pytest.raises(ValueError, match="this machine"):
        check_loopback("postgres://postgres@db.example.org:5432/conf_bench")


def test_maintenance_url_points_at_the_postgres_database():
    assert (
        maintenance_url("postgres://postgres@127.0.0.1:5432/conf_bench")
        == "postgres://postgres@127.0.0.1:5432/postgres"
    )


def test_dataset_label_names_scale_and_seed():
    assert dataset_label(1.0, 3).startswith("sample scale=1 seed=3 generator=")
    assert dataset_label(1.0, 3) != dataset_label(0.01, 3)


def test_free_port_is_a_loopback_port():
    assert 1024 <= free_port() <= 65535


def test_ratio_uses_the_baseline_measured_next_to_the_endpoint():
    rows = measurements()
    rows[1].baseline_rps = 1000.0

    add_ratios(rows)

    assert [row.ratio for row in rows] == [1.0, 0.025, None]
