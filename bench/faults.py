"""Faults to inject on this machine: a Redis of our own, and a TCP link to it we can cut.

Used by ``make soak`` (the Redis cut mid-run) and by the tests of the page cache. Never
touches the shared Redis: the server here is a separate ``redis-server`` process on a free
loopback port, with nothing saved to disk, stopped when done.
"""

import contextlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from bench.server import HOST, free_port

REDIS_SERVER = "redis-server"


class RedisServer:
    """``with RedisServer() as redis: redis.url`` – an empty Redis of its own, memory only.

    It runs with the memory limit and eviction policy the README recommends for production.
    """

    def __init__(self, *, maxmemory="64mb"):
        self.port = free_port()
        self.maxmemory = maxmemory
        self.process = None
        self._directory = None

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"

    @staticmethod
    def available():
        return shutil.which(REDIS_SERVER) is not None

    def start(self, timeout=10):
        self._directory = tempfile.TemporaryDirectory(prefix="redis-fault-")
        command = [
            REDIS_SERVER,
            "--bind", HOST,
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", self._directory.name,
            "--maxmemory", self.maxmemory,
            "--maxmemory-policy", "allkeys-lru",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout} s")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class CuttableProxy:
    """A loopback TCP proxy to ``upstream_port``; ``cut()`` drops every connection and refuses
    new ones (they are accepted and closed at once) until ``restore()``.

    That is what a client sees when a network link or the server goes away: connections reset,
    reconnects failing fast. The data behind the proxy stays, as after a real network cut.
    """

    def __init__(self, upstream_port):
        self.upstream = (HOST, upstream_port)
        self._listener = socket.create_server((HOST, 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open = set()
        self._cut = False
        self._stopped = False
        # Connections refused while cut: how often clients tried to reach the server.
        self.refused = 0
        self._thread = threading.Thread(target=self._accept, name="cuttable-proxy", daemon=True)

    def url(self, database=0):
        return f"redis://{HOST}:{self.port}/{database}"

    def start(self):
        self._thread.start()
        return self

    def cut(self):
        with self._lock:
            self._cut = True
            connections, self._open = self._open, set()
        for connection in connections:
            _close(connection)

    def restore(self):
        with self._lock:
            self._cut = False

    def stop(self):
        self._stopped = True
        self.cut()
        _close(self._listener)
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _accept(self):
        while not self._stopped:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            if self._cut or self._stopped:
                self.refused += 1
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=2)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._cut:
                    _close(client)
                    _close(upstream)
                    continue
                self._open.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._open.discard(source)
            self._open.discard(target)
        _close(source)
        _close(target)


def _close(connection):
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
