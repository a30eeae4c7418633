"""``python -m bench.page_timing [PATH ...]``: pages timed in-process, as ratios to /healthz.

Runs against the database of ``DATABASE_URL`` (e.g. the benchmark's, built by ``python -m
bench``), in this process, through Django's test client with the page cache off: each path
(default: the largest meeting's page) is requested once to warm up, then ``--repeat`` times;
printed are the median time, the ratio to the median of ``/healthz`` measured the same way
in the same run, and the size of the answer. Set ``DJANGO_ENV=production`` (with its
``SECRET_KEY``) to time what the servers run; the README's "programme in time" figures were
taken so.
"""

import argparse
import statistics
import sys
import time

from django.apps import apps
from django.db.models import Count
from django.test import Client

from bench import django_setup  # noqa: F401  (first: the models below need Django set up)

HEALTH_REPEAT = 200


def timed_gets(client, path, repeat):
    """(seconds of each, last response) of ``repeat`` GETs of ``path`` after one to warm up
    (templates compiled, per-process caches filled); stops the run unless each answers 200."""
    client.get(path)
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}.")
    return seconds, response


def timed(client, path, repeat):
    """(median seconds, bytes) of ``repeat`` GETs of ``path`` after one to warm up."""
    seconds, response = timed_gets(client, path, repeat)
    return statistics.median(seconds), len(response.content)


def largest_meeting_path():
    meetings = apps.get_model("conference", "Meeting").objects
    meeting = meetings.annotate(talks=Count("presentations")).order_by("-talks", "slug").first()
    if meeting is None:
        raise SystemExit("The archive has no meeting: generate the sample data first.")
    return meeting.get_absolute_url()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.page_timing", description=__doc__)
    parser.add_argument("paths", nargs="*", help="Paths to time (default: the largest meeting).")
    parser.add_argument("--repeat", type=int, default=15, help="Timed GETs per path.")
    arguments = parser.parse_args(argv)
    client = Client(HTTP_HOST="127.0.0.1")
    health, _ = timed(client, "/healthz", HEALTH_REPEAT)
    for path in arguments.paths or [largest_meeting_path()]:
        seconds, size = timed(client, path, arguments.repeat)
        print(
            f"{path}: median {seconds * 1000:.1f} ms, {seconds / health:.0f}× /healthz "
            f"({health * 1000:.3f} ms), {size / 1024:.0f} KB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
