"""Production mode is locked down; development needs no configuration at all."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "k" * 20 + "S3cr3t-only-for-this-test-" + "q" * 20


def run_manage(*args, **environment):
    # A clean environment: the browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for
    # this process, which a real deployment must not have.
    inherited = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="archive.example.org")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_mode_refuses_a_weak_secret_key():
    result = run_manage(
        "check", DJANGO_ENV="production", SECRET_KEY="short", ALLOWED_HOSTS="archive.example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr


def test_production_mode_passes_the_deployment_checklist_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="archive.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_unknown_environment_name_is_refused_with_the_choices():
    result = run_manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "use development, production or test" in result.stderr


PRODUCTION_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({
    "csp": s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "backends": s.AUTHENTICATION_BACKENDS,
    "last_middleware": s.MIDDLEWARE[-1],
    "failure_limit": s.AXES_FAILURE_LIMIT,
    "lockout_parameters": s.AXES_LOCKOUT_PARAMETERS,
    "client_address_from": s.AXES_IPWARE_META_PRECEDENCE_ORDER,
    "hasher": s.PASSWORD_HASHERS[0],
    "min_password_length": s.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"],
    "max_request_bytes": s.MAX_REQUEST_BYTES,
    "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "referrer_policy": s.SECURE_REFERRER_POLICY,
    "admin_url": s.ADMIN_URL,
}))
"""


def test_production_mode_locks_down_scripts_sign_in_and_request_size():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        PRODUCTION_SETTINGS,
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="archive.example.org",
        ADMIN_URL="organizers-7f3a/",
    )
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])

    assert production["csp"]["script-src"] == ["'self'"]
    assert production["csp"]["default-src"] == ["'self'"]
    assert production["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert production["last_middleware"] == "axes.middleware.AxesMiddleware"
    assert production["failure_limit"] == 5
    assert production["lockout_parameters"] == ["username", "ip_address"]
    # Behind the HTTPS proxy, the address the proxy saw is the one rate-limited.
    assert production["client_address_from"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert production["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert production["min_password_length"] == 12
    assert production["max_request_bytes"] == 10 * 1024 * 1024
    assert (production["nosniff"], production["referrer_policy"]) == (True, "same-origin")
    assert production["admin_url"] == "organizers-7f3a/"


PROXY_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps([getattr(s, "SECURE_PROXY_SSL_HEADER", None), s.USE_X_FORWARDED_HOST,
                  getattr(s, "DATABASE_ROUTERS", []), getattr(s, "DATABASE_REPLICAS", [])]))
"""


def _proxy_settings(**environment):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        PROXY_SETTINGS,
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="archive.example.org",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_forwarded_headers_are_trusted_only_behind_the_proxy():
    behind = _proxy_settings()
    assert behind[:2] == [["HTTP_X_FORWARDED_PROTO", "https"], False]
    assert _proxy_settings(USE_X_FORWARDED_HOST="true")[1] is True
    # No proxy that overwrites them: a client could forge them, so they mean nothing.
    assert _proxy_settings(BEHIND_PROXY="false")[:2] == [None, False]


def test_replica_urls_add_a_database_and_the_router():
    replicas = _proxy_settings(
        DATABASE_URL="postgres://app@127.0.0.1:5450/archive",
        DATABASE_REPLICA_URLS="postgres://app@127.0.0.1:5451/archive",
    )
    assert replicas[2:] == [["conference.core.db_routers.PrimaryReplicaRouter"], ["replica1"]]
    assert _proxy_settings()[2:] == [[], []]


def test_replicas_of_sqlite_are_refused_with_a_reason():
    result = run_manage(
        "check",
        DATABASE_URL="sqlite:///x.sqlite3",
        DATABASE_REPLICA_URLS="sqlite:///y.sqlite3",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs PostgreSQL" in result.stderr
