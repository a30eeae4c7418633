from django.apps import AppConfig
from django.db.backends.signals import connection_created

from conference.core.folding import register_sqlite_functions


class CoreConfig(AppConfig):
    """Code every app builds on (its one model is a view of PostgreSQL's WAL position, for the
    read-replica router): template tags, the REST base layer, and the
    accent folding that SQLite needs registered on each connection."""

    name = "conference.core"
    label = "core"
    verbose_name = "Shared code"

    def ready(self):
        connection_created.connect(register_sqlite_functions)
