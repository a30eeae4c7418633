"""``python -m bench.stack_soak``: the soak through the production stack, under slowloris.

Starts the stack of deploy/stack.py in a folder of its own, on free loopback ports (nginx,
two gunicorn app servers, Redis, a PostgreSQL primary and its streaming replica), fills it
with the sample archive and runs, in the same run:

1. readers alone against one app server directly, then the same readers through nginx, so
   reads/s through the proxy and two app servers compare with one app server alone;
2. the soak of bench/soak.py through nginx (readers, a writer, fresh reads after each edit)
   while ``SLOWLORIS_CONNECTIONS`` clients send one header line every few seconds and a
   prober asks ``/healthz`` twice a second.

It fails on any reader or writer error, stale read, lost write, and on any ``/healthz`` that
did not answer 200 within ``HEALTH_TIMEOUT_SECONDS``. The stack and its data are removed
afterwards. Loopback only; every phase is bounded in time.
"""

import argparse
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import load, soak
from bench.server import HOST, free_port
from deploy import postgres
from deploy.stack import Stack, StackConfig

SLOWLORIS_CONNECTIONS = 10
SLOWLORIS_INTERVAL_SECONDS = 3
HEALTH_INTERVAL_SECONDS = 0.5
HEALTH_TIMEOUT_SECONDS = 5
DEFAULT_SCALE = 0.05
SMOKE_SCALE = 0.01


class Base:
    """What bench.soak's readers need of a server: ``url(path)``."""

    def __init__(self, base_url):
        self.base_url = base_url

    def url(self, path):
        return self.base_url + path


class Slowloris(threading.Thread):
    """Connections that send a request's headers one line every few seconds and never end
    them; each one the server closes is opened again, until told to stop."""

    def __init__(self, port, stop):
        super().__init__(name="slowloris", daemon=True)
        self.port = port
        self.stop = stop
        self.opened = 0
        self.closed_by_server = 0

    def _connect(self):
        connection = socket.create_connection((HOST, self.port), timeout=5)
        connection.sendall(b"GET /?slow HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.opened += 1
        return connection

    def run(self):
        connections = []
        try:
            for _ in range(SLOWLORIS_CONNECTIONS):
                connections.append(self._connect())
            while not self.stop.wait(SLOWLORIS_INTERVAL_SECONDS):
                for number, connection in enumerate(connections):
                    try:
                        connection.sendall(b"X-Slow: " + secrets.token_hex(4).encode() + b"\r\n")
                    except OSError:
                        self.closed_by_server += 1
                        connection.close()
                        connections[number] = self._connect()
        finally:
            for connection in connections:
                connection.close()


class HealthProber(threading.Thread):
    """``/healthz`` twice a second: every answer must be 200 within HEALTH_TIMEOUT_SECONDS."""

    def __init__(self, url, stop):
        super().__init__(name="health-prober", daemon=True)
        self.url = url
        self.stop = stop
        self.answers = 0
        self.failures = []
        self.slowest = 0.0

    def run(self):
        while not self.stop.wait(HEALTH_INTERVAL_SECONDS):
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=HEALTH_TIMEOUT_SECONDS) as answer:
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = f"no answer ({error})"
            took = time.monotonic() - started
            self.slowest = max(self.slowest, took)
            if status == 200:
                self.answers += 1
            else:
                self.failures.append(f"/healthz: {status} after {took:.1f} s")


@dataclass
class Comparison:
    one_server: float
    through_nginx: float


def read_rate(base, endpoints, seconds):
    """Total reads/s of bench.soak's readers against ``base``, alone."""
    readers = soak.WrkReaders(base, endpoints, seconds)
    try:
        readers.start()
        runs = readers.results()
    finally:
        readers.stop()
    errors = sum(run.errors for run in runs)
    if errors:
        raise load.LoadError(f"{errors} reader errors against {base.base_url}")
    return sum(run.per_second for run in runs)


def replica_transactions(stack):
    return int(
        stack.replica.psql(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = 'conference'", "postgres"
        )
    )


def stack_config(state_dir):
    """A stack of its own for the run: generated secrets and free loopback ports."""
    return StackConfig(
        state_dir=state_dir,
        secret_key=secrets.token_urlsafe(64),
        db_password=secrets.token_urlsafe(24),
        port=free_port(),
        app_ports=[free_port(), free_port()],
        pg_ports=[free_port(), free_port()],
        redis_port=free_port(),
        app_env={
            "LOG_LEVEL": "WARNING",
            # The API's per-client throttle would turn the load into 429s.
            "API_THROTTLE_ANON": "100000000/minute",
            "API_THROTTLE_USER": "100000000/minute",
        },
    )


def run(arguments, say=print):
    state_dir = Path(tempfile.mkdtemp(prefix="conference-stack-soak-"))
    stack = Stack(stack_config(state_dir), say=say)
    try:
        stack.start()
        say(f"Filling the archive at scale {arguments.scale:g}.")
        stack.manage("generate_sample_data", f"--scale={arguments.scale:g}", "--seed=1", "--quiet")
        stack.primary.psql("VACUUM ANALYZE", "conference")
        stack.primary.wait_for_replay(stack.replica)
        return _soak(stack, arguments, say)
    finally:
        stack.stop()
        for cluster in (stack.replica, stack.primary):
            cluster.remove()
        shutil.rmtree(state_dir, ignore_errors=True)


def _soak(stack, arguments, say):
    env = stack.app_environment()
    token = soak.writer_token(env)
    people, institutions = soak.writer_material(stack.database_url)
    meeting_path, _ = soak.database.largest_meeting_path(stack.database_url)
    endpoints = [
        ("home", "/"),
        ("meeting page", meeting_path),
        ("api papers 20", "/api/papers/?page_size=20"),
    ]
    nginx = Base(stack.url)
    compare_seconds = max(2, arguments.seconds // 3)
    # Both app servers' workers and page caches warm before either is measured.
    read_rate(nginx, endpoints, 2)
    say(f"Readers alone for {compare_seconds} s: one app server, then through nginx.")
    comparison = Comparison(
        one_server=read_rate(Base(stack.app_url(0)), endpoints, compare_seconds),
        through_nginx=read_rate(nginx, endpoints, compare_seconds),
    )

    say(
        f"Soak through nginx for {arguments.seconds} s: readers, one writer, "
        f"{SLOWLORIS_CONNECTIONS} slowloris connections, /healthz twice a second."
    )
    replica_before = replica_transactions(stack)
    stop = threading.Event()
    attackers = Slowloris(stack.config.port, stop)
    prober = HealthProber(stack.url + "/healthz", stop)
    checker = soak.FreshnessReader(soak.Http(stack.url))
    writer = soak.Writer(
        soak.Http(stack.url, token),
        people=people,
        institutions=institutions,
        meeting=meeting_path.strip("/").split("/")[-1],
        run_label=f"stack-{int(time.time())}",
        seed=1,
        stop=stop,
        fresh=checker,
    )
    readers = soak.WrkReaders(nginx, endpoints, arguments.seconds)

    def open_slow_connections_and_probe():
        attackers.start()
        time.sleep(0.5)  # the slow connections are open before the load begins
        prober.start()

    reader_runs = soak.run_load(
        readers=readers,
        writer=writer,
        checker=checker,
        stop=stop,
        seconds=arguments.seconds,
        before=open_slow_connections_and_probe,
        others=(prober, attackers),
    )

    result = soak.SoakResult(
        seconds=arguments.seconds,
        readers=[
            *reader_runs,
            soak.fresh_reads(checker, arguments.seconds),
        ],
        writes=writer.writes,
        write_errors=writer.errors,
        read_errors=checker.errors + prober.failures,
        stale_reads=checker.stale,
        cache=f"{stack.cache_url} (the stack's Redis)",
    )
    expected = soak.expected_state(writer.writes)
    result.lost_writes = soak.find_lost_writes(
        expected, soak.stored_state(stack.database_url, expected)
    )
    return result, comparison, prober, attackers, replica_transactions(stack) - replica_before


def report(result, comparison, prober, attackers, replica_reads):
    ratio = comparison.through_nginx / comparison.one_server if comparison.one_server else 0
    lines = [soak.format_table(result)]
    lines += [
        f"/healthz             {prober.answers} answered 200, {len(prober.failures)} failed, "
        f"slowest {prober.slowest * 1000:.0f} ms",
        f"slowloris            {SLOWLORIS_CONNECTIONS} connections held open, "
        f"{attackers.opened} opened, {attackers.closed_by_server} cut by nginx",
        f"replica              {replica_reads:,} transactions during the soak",
        f"readers alone        one app server {comparison.one_server:,.1f} reads/s, "
        f"through nginx to two {comparison.through_nginx:,.1f} reads/s "
        f"({ratio:.2f}×)",
    ]
    return "\n".join(lines)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.stack_soak",
        description="The soak through nginx, two app servers and a PostgreSQL replica, with "
        "slowloris clients; fails on any error, stale read, lost write or /healthz timeout.",
    )
    parser.add_argument("--seconds", type=int, help="How long the soak runs (default 30).")
    parser.add_argument("--smoke", action="store_true", help="6 s at scale 0.01.")
    parser.add_argument("--scale", type=float, help=f"Dataset scale (default {DEFAULT_SCALE:g}).")
    arguments = parser.parse_args(argv)
    if arguments.scale is None:
        arguments.scale = SMOKE_SCALE if arguments.smoke else DEFAULT_SCALE
    if arguments.seconds is None:
        arguments.seconds = 6 if arguments.smoke else 30
    if not 0 < arguments.scale <= 5 or not 3 <= arguments.seconds <= 600:
        parser.error("--scale must be in (0, 5] and --seconds in [3, 600].")
    return arguments


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    problem = postgres.why_unavailable()
    for program in ("nginx", "redis-server"):
        if not (shutil.which(program) or shutil.which(program, path="/usr/sbin")):
            problem = problem or f"{program} is not installed (make stack-deps)"
    try:
        load.require_wrk()
    except load.LoadError as error:
        problem = problem or str(error)
    if problem:
        print(f"stack_soak: {problem}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        result, comparison, prober, attackers, replica_reads = run(arguments)
    except KeyboardInterrupt:
        print("stack_soak: interrupted; the stack is stopped and removed.", file=sys.stderr)
        return 130
    print()
    print(report(result, comparison, prober, attackers, replica_reads))
    for line in result.problems()[:20]:
        print(f"  {line}")
    failures = result.failures()
    if prober.failures:
        failures.append(f"{len(prober.failures)} /healthz probes failed")
    if not replica_reads:
        failures.append("the replica served no reads")
    print("stack_soak: FAILED: " + "; ".join(failures) if failures else "stack_soak: passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
