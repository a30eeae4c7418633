import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

application = get_wsgi_application()

if os.environ.get("CITATION_ENGINE_WARM_UP", "true").lower() not in ("0", "false", "no"):
    # Each server process builds citeproc-js's house-style engines as it starts, so no
    # visitor waits for one (papers/citations/styles.py).
    from papers.citations.styles import warm_up_house_styles

    warm_up_house_styles()
