from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Meetings"

    def ready(self):
        from conference import caching

        caching.connect_signals()
