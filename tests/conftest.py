import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests see live pages; tests/conference/test_caching.py switches the cache on.

    Inside a test's transaction no write commits, so the data version never moves: a cached
    page would outlive the data of the test that made it.
    """
    settings.PAGE_CACHE = False
    cache.clear()


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
