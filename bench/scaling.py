"""How the meeting page's time per request changes with the size of the archive.

The largest meeting has the same 400 presentations at every scale from 0.1 up (smaller
archives cap it at two thirds of their presentations), so the page's content stays the same
while the tables around it grow: with indexes, its time should hardly move.
"""

from dataclasses import dataclass
from pathlib import Path

from bench import report


@dataclass
class ScalePoint:
    scale: float
    path: str
    presentations: int
    requests_per_second: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    # Worker time per request: workers / (requests per second), in milliseconds.
    ms_per_request: float | None = None
    note: str = ""


def scale_database_url(url, scale):
    """The benchmark database for one scale of the plot: ``conf_bench`` -> ``conf_bench_s0_1``."""
    suffix = f"_s{scale:g}".replace(".", "_")
    base, _, query = url.partition("?")
    return base + suffix + (f"?{query}" if query else "")


def parse_scales(text):
    scales = sorted({float(part) for part in text.split(",") if part.strip()})
    if not scales or not all(0 < scale <= 50 for scale in scales):
        raise ValueError(f"Scales must be numbers in (0, 50], separated by commas: {text!r}")
    return scales


def add_time_per_request(point, workers):
    if point.requests_per_second:
        point.ms_per_request = 1000.0 * workers / point.requests_per_second
    return point


def growth(points):
    """Time per request at the largest scale divided by that at the smallest, or None."""
    timed = [point for point in points if point.ms_per_request]
    if len(timed) < 2:
        return None
    return timed[-1].ms_per_request / timed[0].ms_per_request


def format_table(points):
    headers = ["scale", "presentations", "req/s", "ms/request", "p50 ms", "p99 ms", "note"]
    rows = [
        [
            f"{point.scale:g}",
            str(point.presentations),
            report._number(point.requests_per_second, ",.1f"),
            report._number(point.ms_per_request, ".1f"),
            report._number(point.p50_ms, ".1f"),
            report._number(point.p99_ms, ".1f"),
            point.note,
        ]
        for point in points
    ]
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(
            cell.ljust(widths[i]) if i == len(cells) - 1 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def save_plot(points, path: Path, *, workers):
    """A PNG of time per request against scale (log axis); returns the path or None."""
    timed = [point for point in points if point.ms_per_request]
    if not timed:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6.4, 4.0), dpi=100)
    axes.plot(
        [point.scale for point in timed],
        [point.ms_per_request for point in timed],
        marker="o",
    )
    for point in timed:
        axes.annotate(
            f"{point.ms_per_request:.0f} ms",
            (point.scale, point.ms_per_request),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
        )
    axes.set_xscale("log")
    axes.set_ylim(bottom=0, top=max(point.ms_per_request for point in timed) * 1.3)
    axes.set_xlabel("dataset scale (1 = 20,000 works, 40,000 people)")
    axes.set_ylabel(f"ms per request ({workers} workers / req/s)")
    axes.set_title("Largest meeting page: time per request by archive size")
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
    return path
