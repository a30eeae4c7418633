"""Schemathesis fuzzes the API against its own OpenAPI schema, in-process and bounded.

Every operation of the schema is one test: anonymous reads (GET) and an organizer's writes
(POST, PUT, PATCH, DELETE with a token), each with data that fits the schema and data that
does not. Every check of schemathesis (`--checks all`) applies, less the accepted exceptions
listed with their reasons below: no 500, every answer documented (status, headers, content
type, body), schema-violating data refused, and a write answered 4xx leaves the database as it
was. The stateful phase follows the schema's links through sequences of calls, each from the
demo data again.
"""

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Max
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.config._checks import NegativeDataRejectionConfig
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    positive_data_acceptance,
)

from conference.meetings.models import Meeting, Project, Series, Topic
from conference.wsgi import application
from papers.models import Paper, Presentation
from people.models import Institution, Person

# Small enough that the whole file runs in about a minute on SQLite on two cores.
MAX_EXAMPLES = 12

# `--checks all`, less these accepted exceptions:
ACCEPTED_EXCEPTIONS = {
    # Data that fits the schema can still be refused by rules a schema cannot state: a
    # meeting's end before its start, a slug that is taken, an author who does not exist,
    # a record that others still refer to (409). Each is a 400 or 409 with the reason.
    positive_data_acceptance,
    # Reads are open to everyone: a GET without a token is meant to succeed, and the
    # schema lists the token scheme on every operation (drf-spectacular) for writes.
    ignored_auth,
}
CHECKS = [check for check in REGISTERED_CHECKS.get_all() if check not in ACCEPTED_EXCEPTIONS]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase walks every boundary of every field, hundreds of requests per operation
# whatever max_examples says: too slow for a suite that runs twice in CI.
schema.config.phases.update(phases=["examples", "fuzzing", "stateful"])
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
)

# A stale or malformed If-Match is answered 412 before the body is read, as RFC 9110
# (section 13.2.2) orders: a precondition is evaluated before the method is carried out.
schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
    expected_statuses=[*NegativeDataRejectionConfig._DEFAULT_EXPECTED_STATUSES, "412"]
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
            values = [{"id": str(pk)} for pk in model.objects.values_list("pk", flat=True)[:3]]
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
# for the next examples, which is what a client's session looks like. Derandomized, so that
# the examples a verified run sent are the ones every later run of the same code sends (a
# random draw once found an empty ?format= only on a later run of unchanged code).
SHARED_DATA = settings(
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
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


# Stateful: sequences of calls linked through the schema (create, then read, change and
# delete what was created). Each sequence starts from the demo data: it runs in a savepoint
# that is rolled back at its end, so no sequence sees another's writes and a failure replays.
Workflow = schema.as_state_machine()
STATEFUL_SETTINGS = settings(
    max_examples=6,
    stateful_step_count=6,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


class ArchiveWorkflow(Workflow):
    token = None

    def setup(self):
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Token {self.token}"}}

    def validate_response(self, response, case, **kwargs):
        case.validate_response(response, checks=CHECKS)


def test_organizer_sequences_are_answered_as_documented(fuzz_data, organizer_token):
    ArchiveWorkflow.token = organizer_token.key
    ArchiveWorkflow.run(settings=STATEFUL_SETTINGS)
