import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft7Validator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories.papers import AuthorshipFactory
from tests.factories.people import PersonFactory


@pytest.fixture(autouse=True)
def _live_api(settings):
    """The API itself, not the public page cache in front of it: cached answers would hide
    the queries, throttling and ETags under test (and on_commit never fires inside a test
    transaction, so the cache would never see writes). Throttling counts requests in the
    cache: each test starts with a clean slate."""
    settings.PAGE_CACHE = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def organizer(django_user_model):
    """A member of the Organizers group (created by a migration), not a superuser."""
    user = django_user_model.objects.create_user(username="ines", password="not-used-9x!")
    user.groups.add(Group.objects.get(name="Organizers"))
    return user


@pytest.fixture
def organizer_client(organizer):
    """A script writing with the organizer's token, as the README shows."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=organizer).key}")
    return client


@pytest.fixture
def member_client(django_user_model):
    """Logged in, but neither staff nor in the Organizers group."""
    client = APIClient()
    client.force_login(django_user_model.objects.create_user(username="visitor", password="x"))
    return client


def _as_json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: ``nullable`` becomes a null alternative,
    and objects refuse properties the schema does not document.

    ``oneOf`` becomes ``anyOf``: drf-spectacular writes a blank-or-URL field as "one of a
    URI or an empty string", and without a URI format checker "" would match both.
    """
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {
        ("anyOf" if key == "oneOf" else key): _as_json_schema(value) for key, value in node.items()
    }
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="session")
def openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))


@pytest.fixture(scope="session")
def assert_matches_schema(openapi_schema):
    """Check a response against the schema documented for its path, method and status."""
    components = _as_json_schema(openapi_schema["components"])

    def check(response, path, method="get"):
        operation = openapi_schema["paths"][path][method.lower()]
        documented = operation["responses"][str(response.status_code)]
        schema = _as_json_schema(documented["content"]["application/json"]["schema"])
        validator = Draft7Validator({"allOf": [schema], "components": components})
        errors = sorted(validator.iter_errors(response.json()), key=str)
        assert not errors, "\n".join(
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors[:10]
        )

    return check


@pytest.fixture
def steen_pair(db):
    """ "Trui Steen" and the "T. Steen" an import created for her article."""
    trui = PersonFactory(given_name="Trui", family_name="Steen")
    initials = PersonFactory(given_name="T.", family_name="Steen", website="https://steen.example")
    return trui, initials, AuthorshipFactory(person=initials)
