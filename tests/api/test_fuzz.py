"""Schemathesis fuzzes the API against its own OpenAPI schema, in-process and bounded.

Every operation of the schema is one test: anonymous reads (GET) and an organizer's writes
(POST, PUT, PATCH, DELETE with a token), each with data that fits the schema and data that
does not. No answer may be a 500, every answer must be documented (status code and body),
and a write answered 4xx must leave the database as it was.
"""

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import Max
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conference.models import Meeting, Project, Series, Topic
from conference.wsgi import application
from papers.models import Paper, Presentation
from people.models import Institution, Person

# Small enough that the whole file runs in about a minute on SQLite on two cores.
MAX_EXAMPLES = 12

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase walks every boundary of every field, hundreds of requests per operation
# whatever max_examples says: too slow for a suite that runs twice in CI.
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
)

RECORDS_BY_PATH = {
    "/api/meetings/{slug}/": Meeting,
    "/api/meetings/{slug}/works/": Meeting,
    "/api/series/{slug}/": Series,
    "/api/topics/{slug}/": Topic,
    "/api/papers/{slug}/": Paper,
    "/api/people/{slug}/": Person,
    "/api/institutions/{slug}/": Institution,
    "/api/projects/{slug}/": Project,
    "/api/presentations/{id}/": Presentation,
}

# Path parameters of records in the demo data, per schema path; filled by ``fuzz_data``.
known_path_parameters = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the generated paths name a real record: a random slug only ever finds a 404."""
    known = known_path_parameters.get(context.operation.path, [])
    return st.sampled_from([path_parameters, *known])


@pytest.fixture
def fuzz_data(demo_data, settings):
    """The demo meeting, no throttling in the way, and the slugs and ids that exist."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/minute"),
    }
    known_path_parameters.clear()
    for path, model in RECORDS_BY_PATH.items():
        if "{id}" in path:
            values = [{"id": pk} for pk in model.objects.values_list("pk", flat=True)[:3]]
        else:
            values = [{"slug": slug} for slug in model.objects.values_list("slug", flat=True)[:3]]
        known_path_parameters[path] = values
    # Schemathesis calls the WSGI application itself, which closes the database connection
    # at the end of every request: that would end the test's transaction (PostgreSQL).
    # Django's test client keeps the connection the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    known_path_parameters.clear()


@pytest.fixture
def organizer_token(organizer):
    return Token.objects.create(user=organizer)


def database_state():
    """Row count, highest id and latest change of every table of the archive's apps
    (including edit history and many-to-many tables)."""
    state = {}
    for label in ("conference", "people", "papers"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            names = {field.name for field in model._meta.concrete_fields}
            aggregates = {"last_id": Max("pk")}
            if "updated_at" in names:
                aggregates["last_change"] = Max("updated_at")
            state[model._meta.label] = (
                model._default_manager.count(),
                model._default_manager.aggregate(**aggregates),
            )
    return state


# The demo data is loaded once per operation, not per example: a write that succeeded stays
# for the next examples, which is what a client's session looks like.
SHARED_DATA = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@schema.include(method="GET").parametrize()
@SHARED_DATA
def test_anonymous_reads_are_answered_as_documented(case, fuzz_data):
    case.call_and_validate(checks=CHECKS)


@schema.exclude(method="GET").parametrize()
@SHARED_DATA
def test_organizer_writes_are_answered_as_documented(case, fuzz_data, organizer_token):
    before = database_state()

    response = case.call(headers={"Authorization": f"Token {organizer_token.key}"})

    if 400 <= response.status_code < 500:
        assert database_state() == before, f"{response.status_code} answer changed the database"
    case.validate_response(response, checks=CHECKS)
