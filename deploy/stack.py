"""``python -m deploy.stack start|stop|status``: the production stack on one Debian machine.

nginx in front (deploy/nginx.conf.template), two or more gunicorn app servers on loopback
ports, Redis for the shared cache (deploy/redis.conf.template), a PostgreSQL primary and a
streaming replica (deploy/postgres.py). Everything listens on 127.0.0.1 only; the state
(data folders, rendered configuration, logs, pid files) lives in ``STACK_DIR``.

Configuration comes from the environment (or the project's ``.env``), secrets only from
there: ``SECRET_KEY`` and ``STACK_DB_PASSWORD`` have no defaults. With ``DATABASE_URL``
(and ``DATABASE_REPLICA_URLS``) set, those databases are used and no cluster is started;
with ``CACHE_URL`` set, that Redis is used. See README, "Production stack".
"""

import argparse
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import environ

from deploy import postgres

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = "conference"
APP_ROLE = "conference"
BROTLI_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so",
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
)
NGINX_USER = "www-data"


class StackError(RuntimeError):
    pass


def _ports(text):
    return [int(port) for port in text.split(",") if port.strip()]


@dataclass
class StackConfig:
    state_dir: Path
    secret_key: str
    db_password: str = ""
    port: int = 8080
    app_ports: list = field(default_factory=lambda: [8101, 8102])
    workers: int = 2
    pg_ports: list = field(default_factory=lambda: [5450, 5451])
    redis_port: int = 6390
    redis_maxmemory: str = "256mb"
    allowed_hosts: str = "127.0.0.1,localhost"
    database_url: str = ""
    replica_urls: str = ""
    cache_url: str = ""
    load_demo: bool = False
    # Settings passed to every app server as they are (SECURE_SSL_REDIRECT, PAGE_CACHE...).
    app_env: dict = field(default_factory=dict)

    @classmethod
    def from_environment(cls, environment=None, *, starting=True):
        """The configuration in ``environment`` (default: the process's, and ``.env``);
        starting needs the secrets, stopping does not."""
        if environment is None:
            environ.Env.read_env(ROOT / ".env")
            environment = os.environ
        secret_key = environment.get("SECRET_KEY", "")
        if starting and len(secret_key) < 50:
            raise StackError(
                "SECRET_KEY must be set to 50+ random characters, e.g. "
                "`export SECRET_KEY=\"$(python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(64))')\"` (keep it: sessions are signed with it)."
            )
        config = cls(
            state_dir=Path(environment.get("STACK_DIR", "/var/tmp/conference-stack")),
            secret_key=secret_key,
            db_password=environment.get("STACK_DB_PASSWORD", ""),
            port=int(environment.get("STACK_PORT", 8080)),
            app_ports=_ports(environment.get("STACK_APP_PORTS", "8101,8102")),
            workers=int(environment.get("STACK_WORKERS", 2)),
            pg_ports=_ports(environment.get("STACK_PG_PORTS", "5450,5451")),
            redis_port=int(environment.get("STACK_REDIS_PORT", 6390)),
            allowed_hosts=environment.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
            database_url=environment.get("DATABASE_URL", ""),
            replica_urls=environment.get("DATABASE_REPLICA_URLS", ""),
            cache_url=environment.get("CACHE_URL", ""),
            load_demo=environment.get("STACK_DEMO", "").lower() in {"1", "true", "yes"},
            app_env={
                name: environment[name]
                for name in (
                    "SECURE_SSL_REDIRECT",
                    "PAGE_CACHE",
                    "API_THROTTLE_ANON",
                    "API_THROTTLE_USER",
                    "LOG_LEVEL",
                    "CSRF_TRUSTED_ORIGINS",
                    "ADMIN_URL",
                    "SITE_NAME",
                )
                if name in environment
            },
        )
        if starting and not config.database_url and len(config.db_password) < 12:
            raise StackError(
                "STACK_DB_PASSWORD must be set (12+ characters) for the stack's own PostgreSQL "
                "clusters, or DATABASE_URL must name an existing database."
            )
        if len(config.app_ports) < 1 or len(config.pg_ports) < 2:
            raise StackError("STACK_APP_PORTS needs a port and STACK_PG_PORTS two.")
        return config


def render(template, values):
    """``{{ name }}`` placeholders of a template in deploy/, each of which must be given."""
    text = (ROOT / "deploy" / template).read_text()

    def value(match):
        name = match.group(1)
        if name not in values:
            raise StackError(f"{template}: no value for {{{{ {name} }}}}")
        return str(values[name])

    return re.sub(r"\{\{ (\w+) \}\}", value, text)


def _pid_alive(pid_file):
    try:
        pid = int(Path(pid_file).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie child (gunicorn --daemon forks away from us, nginx too) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise StackError(f"{url} did not answer 200 within {timeout} s")


class Stack:
    def __init__(self, config, say=print):
        self.config = config
        self.say = say
        self.state = config.state_dir
        self.primary = postgres.Cluster(
            self.state / "postgres" / "primary", config.pg_ports[0], password=config.db_password
        )
        self.replica = postgres.Cluster(
            self.state / "postgres" / "replica", config.pg_ports[1], password=config.db_password
        )

    @property
    def url(self):
        return f"http://{HOST}:{self.config.port}"

    def app_url(self, number=0):
        return f"http://{HOST}:{self.config.app_ports[number]}"

    def _app_database_url(self, cluster):
        return f"postgres://{APP_ROLE}:{self.config.db_password}@{HOST}:{cluster.port}/{DATABASE}"

    @property
    def database_url(self):
        return self.config.database_url or self._app_database_url(self.primary)

    @property
    def replica_urls(self):
        if self.config.database_url:
            return self.config.replica_urls
        return self._app_database_url(self.replica)

    @property
    def cache_url(self):
        return self.config.cache_url or f"redis://{HOST}:{self.config.redis_port}/0"

    def app_environment(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "conference.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.config.secret_key,
            "ALLOWED_HOSTS": self.config.allowed_hosts,
            "DATABASE_URL": self.database_url,
            "DATABASE_REPLICA_URLS": self.replica_urls,
            "CACHE_URL": self.cache_url,
            "BEHIND_PROXY": "true",
            # nginx here listens on plain HTTP on loopback; with TLS in front, set it true.
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "600",
            **self.config.app_env,
        }

    def manage(self, *arguments):
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.app_environment(),
            check=True,
        )

    def start(self):
        for folder in ("logs", "nginx", "redis", "www", "postgres"):
            (self.state / folder).mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o755)
        if not self.config.database_url:
            self._start_postgres()
        if not self.config.cache_url:
            self._start_redis()
        self.say("Migrating the primary and collecting static files.")
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        if self.config.load_demo:
            self._load_demo()
        for number in range(len(self.config.app_ports)):
            self._start_app(number)
        self._start_nginx()
        _wait_for_http(self.url + "/readyz")
        self.say(f"The stack answers at {self.url}/ (stop it with `make prod-stop`).")
        return self

    def _load_demo(self):
        """The demo meeting, into an archive that holds no meeting yet (STACK_DEMO=true)."""
        script = "from conference.meetings.models import Meeting; print(Meeting.objects.exists())"
        finished = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env=self.app_environment(),
            check=True,
            capture_output=True,
            text=True,
        )
        if finished.stdout.strip().endswith("False"):
            self.say("Loading the demo meeting.")
            self.manage("loaddata", "demo", "-v0")
            self.manage("populate_history", "--auto")

    def _start_postgres(self):
        why = postgres.why_unavailable()
        if why:
            raise StackError(f"cannot run PostgreSQL: {why}")
        if not self.primary.exists:
            self.say(f"Creating the PostgreSQL primary on {HOST}:{self.primary.port}.")
            self.primary.create()
            self.primary.start()
            password = self.config.db_password.replace("'", "''")
            self.primary.psql(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{password}'")
            self.primary.psql(f"CREATE DATABASE {DATABASE} OWNER {APP_ROLE}")
        elif not (self.primary.data_dir / "postmaster.pid").exists():
            self.primary.start()
        if not self.replica.exists:
            self.say(f"Creating the streaming replica on {HOST}:{self.replica.port}.")
            self.replica.replica_of(self.primary)
        if not (self.replica.data_dir / "postmaster.pid").exists():
            self.replica.start()

    def _start_redis(self):
        if _pid_alive(self.state / "redis.pid"):
            return
        conf = self.state / "redis.conf"
        conf.write_text(
            render(
                "redis.conf.template",
                {
                    "port": self.config.redis_port,
                    "state_dir": self.state,
                    "maxmemory": self.config.redis_maxmemory,
                },
            )
        )
        subprocess.run([_require("redis-server"), str(conf)], check=True)
        deadline = time.monotonic() + 10
        while not _pid_alive(self.state / "redis.pid"):
            if time.monotonic() > deadline:
                raise StackError(f"redis-server did not start; see {self.state}/logs/redis.log")
            time.sleep(0.1)

    def _start_app(self, number):
        port = self.config.app_ports[number]
        pid_file = self.state / f"app-{port}.pid"
        if _pid_alive(pid_file):
            return
        subprocess.run(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "conference.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(self.config.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--daemon",
                "--pid",
                str(pid_file),
                "--error-logfile",
                str(self.state / "logs" / f"app-{port}.log"),
                # nginx is the only client: its address is the one to trust for forwarded headers.
                "--forwarded-allow-ips",
                HOST,
            ],
            cwd=ROOT,
            env=self.app_environment(),
            check=True,
        )
        _wait_for_http(f"http://{HOST}:{port}/readyz")

    def write_nginx_conf(self):
        """Render deploy/nginx.conf.template into the state folder; returns its path."""
        (self.state / "nginx").mkdir(parents=True, exist_ok=True)
        (self.state / "logs").mkdir(parents=True, exist_ok=True)
        brotli = all(Path(module).exists() for module in BROTLI_MODULES)
        web_root = self.state / "www"
        web_root.mkdir(parents=True, exist_ok=True)
        link = web_root / "static"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(ROOT / "staticfiles")
        user = ""
        if os.geteuid() == 0:
            # The workers drop root; they read static files and write their temp folders.
            user = f"user {NGINX_USER};"
            account = pwd.getpwnam(NGINX_USER)
            for folder in (self.state / "nginx", self.state / "logs"):
                os.chown(folder, account.pw_uid, account.pw_gid)
        conf = self.state / "nginx.conf"
        conf.write_text(
            render(
                "nginx.conf.template",
                {
                    "state_dir": self.state,
                    "user_directive": user,
                    "load_modules": "\n".join(
                        f"load_module {module};" for module in BROTLI_MODULES if brotli
                    ),
                    "brotli": (
                        "    brotli on;\n    brotli_comp_level 5;\n    brotli_types text/css "
                        "text/plain text/xml text/calendar application/javascript "
                        "application/json application/xml application/x-bibtex "
                        "application/x-research-info-systems "
                        "application/vnd.citationstyles.csl+json image/svg+xml;"
                        if brotli
                        else "    # brotli: apt-get install libnginx-mod-http-brotli-filter"
                    ),
                    "brotli_static": "            brotli_static on;" if brotli else "",
                    "max_body": "10m",
                    "connections_per_client": 64,
                    "listen": f"{HOST}:{self.config.port}",
                    "web_root": web_root,
                    "upstream_servers": "\n".join(
                        f"        server {HOST}:{port} max_fails=3 fail_timeout=5s;"
                        for port in self.config.app_ports
                    ),
                },
            )
        )
        return conf

    def _start_nginx(self):
        if _pid_alive(self.state / "nginx.pid"):
            return
        conf = self.write_nginx_conf()
        nginx = _require("nginx")
        for arguments in (["-t", "-q"], []):
            finished = subprocess.run(
                [nginx, "-p", str(self.state), "-c", str(conf), *arguments],
                capture_output=True,
                text=True,
            )
            if finished.returncode != 0:
                raise StackError(f"nginx: {finished.stderr.strip()}")

    def stop(self):
        """Stop nginx, the app servers, Redis and the clusters; their data stays."""
        for pid_file in [
            self.state / "nginx.pid",
            *sorted(self.state.glob("app-*.pid")),
            self.state / "redis.pid",
        ]:
            pid = _pid_alive(pid_file)
            if pid:
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 20
                while _process_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
            pid_file.unlink(missing_ok=True)
        if not self.config.database_url:
            for cluster in (self.replica, self.primary):
                if cluster.exists:
                    cluster.stop()
        self.say(f"The stack is stopped (its data stays in {self.state}).")

    def status(self):
        lines = []
        for name, pid_file in [
            ("nginx", self.state / "nginx.pid"),
            *[(f"app {path.stem[4:]}", path) for path in sorted(self.state.glob("app-*.pid"))],
            ("redis", self.state / "redis.pid"),
        ]:
            lines.append(f"{name:12} {'running' if _pid_alive(pid_file) else 'stopped'}")
        for name, cluster in (("primary", self.primary), ("replica", self.replica)):
            running = (cluster.data_dir / "postmaster.pid").exists()
            lines.append(f"{name:12} {'running' if running else 'stopped'} (:{cluster.port})")
        return "\n".join(lines)


def _require(program):
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin:/sbin")
    if path is None:
        raise StackError(
            f"{program} is not installed: `make prod` installs Debian's nginx, redis-server "
            "and postgresql (apt-get, as root)."
        )
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m deploy.stack", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status"])
    arguments = parser.parse_args(argv)
    try:
        stack = Stack(StackConfig.from_environment(starting=arguments.action == "start"))
        if arguments.action == "start":
            stack.start()
        elif arguments.action == "stop":
            stack.stop()
        else:
            print(stack.status())
    except (StackError, postgres.ClusterError, subprocess.CalledProcessError) as error:
        print(f"deploy.stack: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
