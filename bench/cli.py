"""``python -m bench``: build the dataset, start gunicorn, load every endpoint, report."""

import argparse
import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bench import database, load, report, scaling
from bench.server import GunicornServer

ROOT = database.ROOT
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/conf_bench"
# A Redis database of its own: the benchmark empties it before the warm run.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
IDLE_TIMEOUT_SECONDS = 120
DEFAULT_PLOT_SCALES = "0.1,1,5"
SMOKE_PLOT_SCALES = "0.01,0.02"


def modes(redis_url):
    """Cold: the page cache is off, every request builds its page. Warm: anonymous GETs are
    served from the shared Redis page cache (conference/site/caching.py), as in production."""
    return {
        "cold": {"env": {"PAGE_CACHE": "false"}},
        "warm": {"env": {"PAGE_CACHE": "true", "CACHE_URL": redis_url}},
    }


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Load-test the archive under gunicorn and PostgreSQL on 127.0.0.1.",
    )
    parser.add_argument("--smoke", action="store_true", help="Scale 0.01, ~2 s per endpoint.")
    parser.add_argument("--scale", type=float, help="Dataset scale (default 1, smoke 0.01).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, help="Seconds per endpoint (default 10).")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL on this machine; the database is dropped and rebuilt when stale.",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="Redis on this machine for the warm run; this database number is flushed.",
    )
    parser.add_argument(
        "--plot-scales",
        help=f"Scales for the meeting-page plot (default {DEFAULT_PLOT_SCALES}, "
        f"smoke {SMOKE_PLOT_SCALES}); each gets a database of its own.",
    )
    parser.add_argument("--no-plot", action="store_true", help="Skip the scale plot.")
    parser.add_argument("--output-dir", type=Path, default=ROOT / "bench-results")
    arguments = parser.parse_args(argv)
    if arguments.scale is None:
        arguments.scale = 0.01 if arguments.smoke else 1.0
    if arguments.duration is None:
        arguments.duration = 2 if arguments.smoke else 10
    if arguments.smoke and arguments.database_url == DEFAULT_URL:
        arguments.database_url = DEFAULT_URL + "_smoke"
    if arguments.plot_scales is None:
        arguments.plot_scales = SMOKE_PLOT_SCALES if arguments.smoke else DEFAULT_PLOT_SCALES
    if not 0 < arguments.scale <= 50 or not 1 <= arguments.duration <= 120:
        parser.error("--scale must be in (0, 50] and --duration in [1, 120] seconds.")
    try:
        arguments.plot_scales = scaling.parse_scales(arguments.plot_scales)
    except ValueError as error:
        parser.error(str(error))
    return arguments


def flush_redis(url):
    """Empty the benchmark's Redis database; returns an error message or ""."""
    import redis

    if urlsplit(url).hostname not in database.LOOPBACK_HOSTS:
        return f"Redis must be on this machine, not {urlsplit(url).hostname!r}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        client.flushdb()
        client.close()
    except redis.RedisError as error:
        return f"Redis at {url} is not available ({error})"
    return ""


def server_environment(database_url, mode_settings):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "conference.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
            # The API's per-client throttle would turn the load into 429s.
            "API_THROTTLE_ANON": "100000000/minute",
            "API_THROTTLE_USER": "100000000/minute",
        }
    )
    env.update(mode_settings)
    return env


def resolve_targets(env):
    """(endpoints, left_out, {path: queries}) from ``python -m bench.targets`` run with
    ``env``: the endpoints resolved against its database, their query counts in its mode."""
    answer = subprocess.run(
        [sys.executable, "-m", "bench.targets"],
        cwd=database.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if answer.returncode != 0:
        raise load.LoadError(f"python -m bench.targets failed:\n{answer.stderr.strip()}")
    resolved = json.loads(answer.stdout)
    endpoints = [load.Endpoint(**endpoint) for endpoint in resolved["endpoints"]]
    return endpoints, resolved["left_out"], resolved["queries"]


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def measure(server, endpoint, mode, arguments, queries):
    """Warm the workers up on the endpoint, wait for quiet, then run wrk."""
    row = report.Measurement(endpoint.name, endpoint.path, mode, queries=queries)
    # The previous endpoint's queued requests may still be running: let them drain first.
    server.wait_until_idle(timeout=IDLE_TIMEOUT_SECONDS)
    try:
        for _ in range(2 * arguments.workers + 2):
            row.status = server.get(endpoint.path)
    except OSError as error:
        row.note = f"warm-up failed ({error}): not loaded"
        return row
    if row.status != 200:
        row.note = f"HTTP {row.status}: not loaded"
        return row
    server.wait_until_idle(timeout=IDLE_TIMEOUT_SECONDS)
    if endpoint.path != report.BASELINE:
        baseline = load.run_wrk(
            server.url(report.BASELINE),
            threads=arguments.threads,
            connections=arguments.connections,
            seconds=max(1, arguments.duration // 2),
        )
        row.baseline_rps = baseline.requests_per_second
        server.wait_until_idle(timeout=IDLE_TIMEOUT_SECONDS)
    result = load.run_wrk(
        server.url(endpoint.path),
        threads=arguments.threads,
        connections=arguments.connections,
        seconds=arguments.duration,
    )
    row.requests_per_second = result.requests_per_second
    row.p50_ms = result.p50_ms
    row.p99_ms = result.p99_ms
    row.requests = result.requests
    row.errors = result.errors
    if result.errors:
        row.note = f"{result.errors} errors"
    return row


def git_commit():
    finished = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return finished.stdout.strip()


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        load.require_wrk()
        database.check_loopback(arguments.database_url)
    except (load.LoadError, ValueError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = datetime.datetime.now(datetime.UTC)
    arguments.output_dir.mkdir(parents=True, exist_ok=True)

    setup_env = server_environment(arguments.database_url, {})
    database.prepare(arguments.database_url, setup_env, scale=arguments.scale, seed=arguments.seed)
    database.manage(setup_env, "collectstatic", "--no-input", "-v0")

    endpoints, left_out, _ = resolve_targets(setup_env)
    run_modes = modes(arguments.redis_url)
    redis_problem = flush_redis(arguments.redis_url)
    if redis_problem:
        del run_modes["warm"]
        left_out.append(f"warm run: {redis_problem}")
    bench_report = report.BenchReport(
        scale=arguments.scale,
        seed=arguments.seed,
        started_at=started.isoformat(timespec="seconds"),
        settings={
            "git_commit": git_commit(),
            "workers": arguments.workers,
            "wrk": f"-t{arguments.threads} -c{arguments.connections} "
            f"-d{arguments.duration}s --latency --timeout 30s",
            "database": database.database_name(arguments.database_url),
            "cpus": os.cpu_count(),
        },
        left_out=left_out,
    )
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    try:
        for mode, mode_settings in run_modes.items():
            env = server_environment(arguments.database_url, mode_settings["env"])
            _, _, queries = resolve_targets(env)
            log_path = arguments.output_dir / f"gunicorn-{stamp}-{mode}.log"
            with GunicornServer(env, workers=arguments.workers, log_path=log_path) as server:
                for endpoint in endpoints:
                    row = measure(server, endpoint, mode, arguments, queries[endpoint.path])
                    bench_report.measurements.append(row)
                    print(
                        f"  {mode:<5} {endpoint.name:<16} "
                        f"{report._number(row.requests_per_second, ',.1f'):>9} req/s  "
                        f"{row.note}",
                        flush=True,
                    )
        if not arguments.no_plot:
            bench_report.scaling = measure_scales(arguments, stamp)
            bench_report.scaling_growth = scaling.growth(bench_report.scaling)
    except KeyboardInterrupt:
        print("bench: interrupted; gunicorn stopped.", file=sys.stderr)
        return 130
    report.add_ratios(bench_report.measurements)
    output = arguments.output_dir / f"bench-{stamp}.json"
    plot = None
    if bench_report.scaling:
        plot = scaling.save_plot(
            bench_report.scaling,
            arguments.output_dir / f"bench-{stamp}-scale.png",
            workers=arguments.workers,
        )
    output.write_text(bench_report.to_json(), encoding="utf-8")

    print()
    print(report.format_table(bench_report.measurements))
    if bench_report.scaling:
        print()
        print("Largest meeting page by dataset scale (cold):")
        print(scaling.format_table(bench_report.scaling))
    for reason in left_out:
        print(f"Left out: {reason}")
    print(f"Results: {_shown(output)}" + (f", plot: {_shown(plot)}" if plot else ""))
    print(report.summary_line(bench_report))
    failed = any(m.status != 200 or m.errors for m in bench_report.measurements) or any(
        point.note for point in bench_report.scaling
    )
    return 1 if failed else 0


def _shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def measure_scales(arguments, stamp):
    """The largest meeting page, cold, in a database of each plot scale."""
    points = []
    for scale in arguments.plot_scales:
        if scale == arguments.scale:
            url = arguments.database_url
        else:
            url = scaling.scale_database_url(arguments.database_url, scale)
        env = server_environment(url, modes(arguments.redis_url)["cold"]["env"])
        database.prepare(url, env, scale=scale, seed=arguments.seed)
        path, presentations = database.largest_meeting_path(url)
        point = scaling.ScalePoint(scale=scale, path=path, presentations=presentations)
        log_path = arguments.output_dir / f"gunicorn-{stamp}-scale-{scale:g}.log"
        with GunicornServer(env, workers=arguments.workers, log_path=log_path) as server:
            row = measure(server, load.Endpoint("meeting page", path), "cold", arguments, None)
        point.requests_per_second = row.requests_per_second
        point.p50_ms, point.p99_ms = row.p50_ms, row.p99_ms
        point.note = row.note
        scaling.add_time_per_request(point, arguments.workers)
        print(
            f"  scale {scale:g}: meeting page ({presentations} presentations) "
            f"{report._number(point.ms_per_request, '.1f')} ms/request {point.note}",
            flush=True,
        )
        points.append(point)
    return points
