import pytest
from django.core.management import call_command


@pytest.fixture
def demo_history(demo_data):
    """The demo with a first history entry per row, as `populate_history --auto` gives data
    that was loaded from a fixture (fixtures are saved raw, without history)."""
    call_command("populate_history", auto=True, verbosity=0)
