"""Django for a benchmark tool's own process, set up on import.

``manage.py`` sets Django up before it imports a command; the benchmark's tools that read the
archive in their own process (``targets``, ``admin_page``, ``backup_writer``, ``citations``)
import this module first instead, so that their model imports can stay at the top of the
module. The database and settings come from the environment, as for ``manage.py``
(``DATABASE_URL`` and the rest, see conference/settings.py); under pytest Django is already set
up and this does nothing.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
django.setup()
