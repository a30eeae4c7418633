from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Meetings"

    def ready(self):
        from conference import caching
        from conference.folding import register_sqlite_functions

        caching.connect_signals()
        connection_created.connect(register_sqlite_functions)
