"""The results table, the JSON file and the one-line summary."""

import json
from dataclasses import asdict, dataclass, field

BASELINE = "/healthz"


@dataclass
class Measurement:
    endpoint: str
    path: str
    mode: str
    requests_per_second: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: int | None = None
    status: int | None = None
    requests: int = 0
    errors: int = 0
    ratio: float | None = None
    # /healthz req/s measured just before this endpoint: other work on the machine comes and
    # goes within a run, and the ratio to a baseline taken minutes earlier drifts with it.
    baseline_rps: float | None = None
    note: str = ""


@dataclass
class BenchReport:
    scale: float
    seed: int
    started_at: str
    settings: dict = field(default_factory=dict)
    measurements: list = field(default_factory=list)
    left_out: list = field(default_factory=list)
    # The meeting page at several scales (bench/scaling.py), and its time at the largest
    # scale over its time at the smallest.
    scaling: list = field(default_factory=list)
    scaling_growth: float | None = None

    def to_json(self):
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def add_ratios(measurements):
    """Each row's req/s divided by the /healthz req/s measured next to it (or, without one,
    by the /healthz row of the same mode and run)."""
    baselines = {
        m.mode: m.requests_per_second
        for m in measurements
        if m.endpoint == BASELINE and m.requests_per_second
    }
    for measurement in measurements:
        baseline = measurement.baseline_rps or baselines.get(measurement.mode)
        if baseline and measurement.requests_per_second is not None:
            measurement.ratio = measurement.requests_per_second / baseline
        else:
            measurement.ratio = None
    return measurements


def _number(value, pattern):
    return "–" if value is None else format(value, pattern)


def format_table(measurements):
    headers = ["endpoint", "mode", "req/s", "p50 ms", "p99 ms", "queries", "ratio", "note"]
    rows = [
        [
            m.endpoint,
            m.mode,
            _number(m.requests_per_second, ",.1f"),
            _number(m.p50_ms, ".1f"),
            _number(m.p99_ms, ".1f"),
            _number(m.queries, "d"),
            _number(m.ratio, ".3f"),
            m.note,
        ]
        for m in measurements
    ]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    numeric = {2, 3, 4, 5, 6}

    def line(cells):
        return "  ".join(
            str(cell).rjust(widths[i]) if i in numeric else str(cell).ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def summary_line(report):
    """One line: scale, the baseline, and every other endpoint's ratio to it."""
    parts = [f"bench scale={report.scale:g}"]
    for m in report.measurements:
        if m.endpoint == BASELINE:
            parts.append(f"{m.mode} /healthz {_number(m.requests_per_second, '.0f')} req/s")
    several_modes = len({m.mode for m in report.measurements}) > 1
    ratios = [
        f"{f'{m.mode}:' if several_modes else ''}{m.endpoint}={_number(m.ratio, '.3f')}"
        for m in report.measurements
        if m.endpoint != BASELINE
    ]
    errors = sum(m.errors for m in report.measurements)
    summary = "; ".join(parts) + " | ratios: " + " ".join(ratios)
    if report.scaling_growth is not None:
        scales = [point.scale for point in report.scaling if point.ms_per_request]
        summary += (
            f" | meeting page time at scale {max(scales):g} / scale {min(scales):g}"
            f" = {report.scaling_growth:.2f}"
        )
    if errors:
        summary += f" | {errors} failed requests"
    return summary
