"""Gunicorn on a free loopback port, started and always stopped by the benchmark."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _cpu_ticks(pid):
    """User + system clock ticks of ``pid``; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


class GunicornServer:
    """``with GunicornServer(env, workers=2) as server: server.url("/healthz")``."""

    def __init__(self, env, *, workers=2, log_path=None):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process = None
        self._log = None

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def start(self, ready_path="/readyz", timeout=60):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "conference.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ]
        self._log = open(self.log_path, "w") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        # A session of its own, so that stopping it ends the workers too.
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.url(ready_path), timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer {ready_path} within {timeout} s")

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.process = None
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def cpu_ticks(self):
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_cpu_ticks(pid) for pid in pids)

    def wait_until_idle(self, *, window=0.3, quiet_windows=2, timeout=15):
        """Wait until the master and workers have used (almost) no CPU for a while, so one
        endpoint's backlog does not slow the next one's run."""
        deadline = time.monotonic() + timeout
        quiet = 0
        before = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(window)
            after = self.cpu_ticks()
            quiet = quiet + 1 if after - before <= 1 else 0
            if quiet >= quiet_windows:
                return True
            before = after
        return False

    def get(self, path, timeout=30):
        """One request; returns the status code (errors included)."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
