"""PostgreSQL clusters of our own: a primary and its streaming replicas, on loopback ports.

Debian's server binaries (``/usr/lib/postgresql/<version>/bin``) run against data folders
we choose, started and stopped with ``pg_ctl``; the distribution's own cluster (port 5432)
is never touched. PostgreSQL refuses to run as root, so as root every command runs as the
``postgres`` user, which then owns the data folders.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
RUN_AS = "postgres"


class ClusterError(RuntimeError):
    pass


def bin_dir():
    """Debian's newest PostgreSQL server binaries, or None when none is installed."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def why_unavailable():
    """Why this machine cannot run a cluster of its own ("" when it can)."""
    if bin_dir() is None:
        return "PostgreSQL's server binaries are not installed (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            return f"running as root and there is no {RUN_AS!r} user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return ""


def _command(*arguments):
    if os.geteuid() == 0:
        return ["runuser", "-u", RUN_AS, "--", *map(str, arguments)]
    return list(map(str, arguments))


def _run(*arguments, env=None):
    finished = subprocess.run(
        _command(*arguments),
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        cwd="/",
    )
    if finished.returncode != 0:
        raise ClusterError(
            f"{Path(str(arguments[0])).name} failed ({finished.returncode}): "
            f"{(finished.stderr or finished.stdout).strip()[-2000:]}"
        )
    return finished.stdout


def _own(path):
    """Make ``path`` a folder the cluster's user may write."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        account = pwd.getpwnam(RUN_AS)
        os.chown(path, account.pw_uid, account.pw_gid)


class Cluster:
    """One PostgreSQL server: ``Cluster(data_dir, port).create()`` or ``.replica_of(primary)``.

    ``settings`` are extra ``postgresql.conf`` lines (``log_statement = 'all'``). Without a
    ``password`` the cluster trusts loopback connections (tests); with one, TCP connections
    need it (scram-sha-256) and the superuser ``postgres`` has it.
    """

    def __init__(self, data_dir, port, *, password=None, settings=None):
        self.data_dir = Path(data_dir)
        self.port = int(port)
        self.password = password
        self.settings = dict(settings or {})
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}.log"

    def url(self, database):
        secret = f":{self.password}" if self.password else ""
        return f"postgres://postgres{secret}@{HOST}:{self.port}/{database}"

    @property
    def exists(self):
        return (self.data_dir / "PG_VERSION").exists()

    def _client_env(self):
        return {"PGPASSWORD": self.password} if self.password else {}

    def _write_settings(self, extra):
        lines = {
            "listen_addresses": f"'{HOST}'",
            "port": str(self.port),
            # Its own socket folder: the distribution's cluster owns /var/run/postgresql.
            "unix_socket_directories": f"'{self.data_dir.parent}'",
            "wal_level": "replica",
            "max_wal_senders": "10",
            "hot_standby": "on",
            # WAL that is written but not yet flushed (autovacuum, checkpoints, asynchronous
            # commits) reaches the replicas when the WAL writer flushes it: every 10 ms rather
            # than the default 200 ms, so that a replica is rarely behind the primary for long
            # (conference/core/db_routers.py reads a replica only when it has caught up).
            "wal_writer_delay": "'10ms'",
            **extra,
            **self.settings,
        }
        text = "".join(f"{name} = {value}\n" for name, value in lines.items())
        # Written by the cluster's own user, through a temporary file it can read.
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False, dir="/tmp") as conf:
            conf.write("# Added by deploy/postgres.py\n" + text)
        os.chmod(conf.name, 0o644)
        try:
            _run("sh", "-c", 'cat "$0" >> "$1"', conf.name, self.data_dir / "postgresql.conf")
        finally:
            os.unlink(conf.name)

    def create(self):
        """A new, empty primary (initdb), configured for streaming replication."""
        _own(self.data_dir.parent)
        arguments = [bin_dir() / "initdb", "-D", self.data_dir, "-U", "postgres", "-E", "UTF8"]
        arguments += ["--locale=C.UTF-8", "--no-sync"]
        pwfile = None
        if self.password:
            with tempfile.NamedTemporaryFile("w", delete=False, dir="/tmp") as pwfile:
                pwfile.write(self.password)
            os.chmod(pwfile.name, 0o644)
            arguments += ["--auth-local=peer", "--auth-host=scram-sha-256"]
            arguments += [f"--pwfile={pwfile.name}"]
        else:
            arguments += ["--auth=trust"]
        try:
            _run(*arguments)
        finally:
            if pwfile:
                os.unlink(pwfile.name)
        self._write_settings({})
        return self

    def replica_of(self, primary):
        """A streaming replica: a base backup of the running ``primary`` that follows its WAL."""
        _own(self.data_dir.parent)
        _run(
            bin_dir() / "pg_basebackup",
            "-h",
            HOST,
            "-p",
            primary.port,
            "-U",
            "postgres",
            "-D",
            self.data_dir,
            "--write-recovery-conf",  # standby.signal and primary_conninfo
            "--checkpoint=fast",
            "--wal-method=stream",
            env=primary._client_env(),
        )
        # The copied postgresql.conf names the primary's port and socket folder: ours win.
        self._write_settings({})
        return self

    def start(self, timeout=60):
        _run(
            bin_dir() / "pg_ctl",
            "-D",
            self.data_dir,
            "-l",
            self.log_path,
            "-w",
            "-t",
            timeout,
            "start",
        )
        return self

    def stop(self):
        if not (self.data_dir / "postmaster.pid").exists():
            return
        _run(bin_dir() / "pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop")

    def remove(self):
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.log_path.unlink(missing_ok=True)

    def psql(self, sql, database="postgres"):
        """Run ``sql`` as the superuser; returns psql's unaligned output."""
        return _run(
            bin_dir() / "psql",
            "-h",
            HOST,
            "-p",
            self.port,
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
            sql,
            env=self._client_env(),
        ).strip()

    def wait_for_replay(self, replica, timeout=30):
        """Wait until ``replica`` has replayed everything this primary has written so far."""
        position = self.psql("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn") == "t":
                return
            time.sleep(0.05)
        raise ClusterError(f"the replica on port {replica.port} did not catch up in {timeout} s")
