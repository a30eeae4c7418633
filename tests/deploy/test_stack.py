"""The stack's configuration: rendered from the templates, checked by nginx itself."""

import re
import shutil
import subprocess

import pytest

from deploy.stack import Stack, StackConfig, StackError, render

SECRET = "s" * 60


def test_starting_without_secrets_says_which_to_set():
    with pytest.raises(StackError, match="SECRET_KEY must be set"):
        StackConfig.from_environment({"STACK_DB_PASSWORD": "long-enough-password"})
    with pytest.raises(StackError, match="STACK_DB_PASSWORD must be set"):
        StackConfig.from_environment({"SECRET_KEY": SECRET})
    # Stopping needs no secrets; an existing database needs no cluster password.
    assert StackConfig.from_environment({}, starting=False).port == 8080
    config = StackConfig.from_environment(
        {"SECRET_KEY": SECRET, "DATABASE_URL": "postgres://app@127.0.0.1/archive"}
    )
    assert Stack(config).database_url == "postgres://app@127.0.0.1/archive"


def test_a_template_placeholder_without_a_value_is_an_error():
    with pytest.raises(StackError, match=r"no value for \{\{ port \}\}"):
        render("redis.conf.template", {"state_dir": "/tmp", "maxmemory": "1mb"})


@pytest.fixture
def stack(tmp_path):
    config = StackConfig.from_environment(
        {
            "SECRET_KEY": SECRET,
            "STACK_DB_PASSWORD": "long-enough-password",
            "STACK_DIR": str(tmp_path),
            "STACK_APP_PORTS": "9101,9102,9103",
        }
    )
    return Stack(config)


def test_nginx_accepts_the_rendered_configuration(stack):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (make stack-deps)")
    conf = stack.write_nginx_conf()
    checked = subprocess.run(
        [nginx, "-t", "-p", str(stack.state), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    text = conf.read_text()
    assert re.findall(r"^\s*listen (\S+)", text, re.MULTILINE) == ["127.0.0.1:8080"]
    assert re.findall(r"server (127\.0\.0\.1:\d+) max_fails", text) == [
        "127.0.0.1:9101",
        "127.0.0.1:9102",
        "127.0.0.1:9103",
    ]
    # The proxy sets the forwarded headers itself: a client's own are not passed on.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text


def test_redis_listens_on_loopback_and_keeps_nothing_on_disk(stack):
    text = render(
        "redis.conf.template", {"port": 6390, "state_dir": stack.state, "maxmemory": "256mb"}
    )
    assert "bind 127.0.0.1\n" in text
    assert 'save ""\n' in text
    assert "maxmemory-policy allkeys-lru\n" in text
