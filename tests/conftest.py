import pytest
from django.core.management import call_command


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
