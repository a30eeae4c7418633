import json
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests see live pages; tests/conference/test_caching.py switches the cache on.

    Inside a test's transaction no write commits, so the data version never moves: a cached
    page would outlive the data of the test that made it.
    """
    settings.PAGE_CACHE = False
    cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request to /fr/ leaves French active in
    the thread (as Django's LocaleMiddleware does), which must not reach the next test."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def demo_data(db):
    """The demo meeting (the seed report) as loaded by the README's run command."""
    call_command("loaddata", "demo", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in superuser: sees every admin page and the "edit" links on public pages."""
    user = django_user_model.objects.create_superuser(
        username="organizer", email="organizer@example.org", password="correct-horse-battery-9"
    )
    client.force_login(user)
    client.user = user
    return client


# The official schemas (the frab schedule's here): ../shared/specs beside the project folder,
# or beside a worktree's parent folder.
SPECS = next(
    (
        parent / "shared" / "specs"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "specs").is_dir()
    ),
    None,
)


@pytest.fixture(scope="session")
def frab_xml_schema():
    if SPECS is None:
        pytest.fail("The frab schemas are missing: ../shared/specs/frab", pytrace=False)
    return xmlschema.XMLSchema(str(SPECS / "frab" / "schedule.xml.xsd"), allow="local")


@pytest.fixture(scope="session")
def frab_json_validator():
    """A validator of the c3voc JSON schema that also checks formats (uuid, date-time, uri)."""
    if SPECS is None:
        pytest.fail("The frab schemas are missing: ../shared/specs/frab", pytrace=False)
    schema = json.loads((SPECS / "frab" / "schedule.schema.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
