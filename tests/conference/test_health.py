import json
from unittest import mock

from django.db import OperationalError, connection


def test_healthz_says_ok_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_readyz_says_the_database_and_the_cache_answer(db, client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_when_the_database_is_unreachable(db, client):
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "unavailable", "cache": "ok"}


def test_readyz_answers_503_when_the_connection_no_longer_answers(db, client):
    # A server restarted under a persistent connection: Django's liveness test fails.
    with mock.patch.object(connection, "is_usable", return_value=False):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "unavailable", "cache": "ok"}
