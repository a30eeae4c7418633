"""Production mode is locked down; development needs no configuration at all."""

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
