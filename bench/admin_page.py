"""``python -m bench.admin_page``: time the admin pages organizers open for the largest meeting.

Runs in-process against the database of ``DATABASE_URL`` (generate it first with
``manage.py generate_sample_data``): a superuser made for the run, in a transaction that is
rolled back afterwards, opens each page through Django's test client a few times. Reported per
page: the median and the slowest time, the HTML size, the form inputs (``<input>``,
``<select>``, ``<textarea>``, hidden ones included) and the database queries of one request.
"""

import argparse
import logging
import os
import statistics
import sys
from html.parser import HTMLParser

from bench.page_timing import timed_gets

FORM_INPUT_TAGS = {"input", "select", "textarea"}


class InputCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs):
        if tag in FORM_INPUT_TAGS:
            self.count += 1


def count_inputs(html):
    counter = InputCounter()
    counter.feed(html)
    return counter.count


def admin_pages(meeting):
    """(label, path) of the pages that edit ``meeting`` and, once it has sessions, its
    fullest session."""
    from django.db.models import Count
    from django.urls import reverse

    pages = [("meeting change page", reverse("admin:conference_meeting_change", args=[meeting.pk]))]
    sessions = getattr(meeting, "sessions", None)
    if sessions is not None:
        session = sessions.annotate(size=Count("talks")).order_by("-size", "position").first()
        if session is not None:
            url = reverse("admin:conference_session_change", args=[session.pk])
            pages.append((f"session change page ({session.size} talks)", url))
    return pages


def measure(client, path, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The warm-up GET also resolves the autocomplete widgets' media.
    seconds, _ = timed_gets(client, path, repeat)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    html = response.content.decode()
    return {
        "median": statistics.median(seconds),
        "slowest": max(seconds),
        "kilobytes": len(response.content) / 1024,
        "inputs": count_inputs(html),
        "queries": len(queries),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.admin_page", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests per page.")
    parser.add_argument("--meeting", help="Slug of the meeting (default: most presentations).")
    arguments = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    import django

    # django-axes logs every forced login of the run's user at INFO.
    logging.getLogger("axes").setLevel(logging.WARNING)

    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    meetings = apps.get_model("conference", "Meeting").objects
    if arguments.meeting:
        meeting = meetings.get(slug=arguments.meeting)
    else:
        meeting = meetings.annotate(talks=Count("presentations")).order_by("-talks", "pk").first()
    if meeting is None:
        raise SystemExit("No meeting: run `manage.py generate_sample_data` first.")

    talks = meeting.presentations.count()
    print(f"{meeting.slug}: {talks} talks, {arguments.repeat} timed requests per page")
    with transaction.atomic():
        user = get_user_model().objects.create_superuser(
            username="bench-admin-page", email="bench@example.org", password=None
        )
        client = Client()
        client.force_login(user)
        for label, path in admin_pages(meeting):
            figures = measure(client, path, arguments.repeat)
            print(
                f"{label:<22} median {figures['median'] * 1000:7.0f} ms  "
                f"slowest {figures['slowest'] * 1000:7.0f} ms  "
                f"{figures['kilobytes']:7.0f} KB  {figures['inputs']:5} inputs  "
                f"{figures['queries']:4} queries  {path}"
            )
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
