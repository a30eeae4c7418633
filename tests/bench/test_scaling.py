import pytest

from bench.cli import flush_redis, modes, parse_arguments
from bench.report import BenchReport, add_ratios, summary_line
from bench.scaling import (
    ScalePoint,
    add_time_per_request,
    format_table,
    growth,
    parse_scales,
    save_plot,
    scale_database_url,
)


def points():
    return [
        add_time_per_request(ScalePoint(0.1, "/meetings/a/", 400, 20.0, 700.0, 900.0), 2),
        add_time_per_request(ScalePoint(1, "/meetings/b/", 400, 19.0, 720.0, 950.0), 2),
        add_time_per_request(ScalePoint(5, "/meetings/c/", 400, 16.0, 800.0, 990.0), 2),
    ]


def test_time_per_request_is_worker_time():
    assert [point.ms_per_request for point in points()] == [100.0, 2000 / 19, 125.0]


def test_growth_compares_the_largest_scale_with_the_smallest():
    assert growth(points()) == 1.25
    assert growth(points()[:1]) is None
    assert growth([ScalePoint(0.1, "/m/", 400), *points()[1:]]) == 125.0 / (2000 / 19)


def test_each_scale_gets_a_database_of_its_own():
    url = "postgres://postgres@127.0.0.1:5432/conf_bench"
    assert scale_database_url(url, 0.1) == "postgres://postgres@127.0.0.1:5432/conf_bench_s0_1"
    assert scale_database_url(url, 5) == "postgres://postgres@127.0.0.1:5432/conf_bench_s5"


def test_scales_are_sorted_and_bounded():
    assert parse_scales("5, 0.1,1") == [0.1, 1.0, 5.0]
    with pytest.raises(ValueError):
        parse_scales("0")
    with pytest.raises(ValueError):
        parse_scales("")


def test_scale_table_lists_every_scale():
    table = format_table(points()).splitlines()

    assert table[0].split() == [
        "scale",
        "presentations",
        "req/s",
        "ms/request",
        "p50",
        "ms",
        "p99",
        "ms",
        "note",
    ]
    assert table[2].split() == ["0.1", "400", "20.0", "100.0", "700.0", "900.0"]
    assert table[4].split() == ["5", "400", "16.0", "125.0", "800.0", "990.0"]


def test_plot_is_a_png(tmp_path):
    path = save_plot(points(), tmp_path / "scale.png", workers=2)

    assert path.read_bytes().startswith(b"\x89PNG")


def test_no_plot_without_measurements(tmp_path):
    assert save_plot([ScalePoint(1, "/m/", 400)], tmp_path / "scale.png", workers=2) is None
    assert not (tmp_path / "scale.png").exists()


def test_summary_ends_with_the_scale_growth():
    report = BenchReport(scale=1, seed=1, started_at="2025-01-01T00:00:00+00:00")
    report.measurements = add_ratios([])
    report.scaling = points()
    report.scaling_growth = growth(report.scaling)

    assert summary_line(report).endswith("| meeting page time at scale 5 / scale 0.1 = 1.25")


def test_warm_run_uses_the_shared_page_cache():
    warm = modes("redis://127.0.0.1:6379/14")["warm"]

    assert warm["env"] == {"PAGE_CACHE": "true", "CACHE_URL": "redis://127.0.0.1:6379/14"}
    assert modes("redis://127.0.0.1:6379/14")["cold"]["env"] == {"PAGE_CACHE": "false"}


def test_redis_must_be_on_loopback():
    assert "must be on this machine" in flush_redis("redis://cache.example.org:6379/14")


def test_smoke_plot_is_small_and_full_plot_spans_fifty_times():
    assert parse_arguments(["--smoke"]).plot_scales == [0.01, 0.02]
    assert parse_arguments([]).plot_scales == [0.1, 1.0, 5.0]
    assert parse_arguments(["--plot-scales", "1,2"]).plot_scales == [1.0, 2.0]
