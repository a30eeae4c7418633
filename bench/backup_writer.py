"""The writer process of ``bench.backup_check``: works with their authors until told to stop.

    python -m bench.backup_writer STOP_FILE [--pause SECONDS]

Creates one work with two or three ordered authors per transaction (through the same service
as the admin and the API) every ``--pause`` seconds, until ``STOP_FILE`` exists; then prints
how many it wrote. The database is the environment's ``DATABASE_URL``.
"""

import argparse
import random
import sys
import time
from pathlib import Path

from bench import django_setup  # noqa: F401  (first: the models below need Django set up)
from papers import services
from papers.models import Paper
from people.models import Person


def write_works(stop_file, pause):
    """Write works until ``stop_file`` exists; how many were written."""
    people = list(Person.objects.order_by("pk"))
    rng = random.Random(1)
    written = 0
    while not Path(stop_file).exists():
        authors = rng.sample(people, rng.choice([2, 3]))
        services.create_paper(
            title=f"Written during a backup {written + 1}",
            kind=Paper.Kind.CONFERENCE_PAPER,
            year=2024,
            authors=[
                {"person": person, "position": position}
                for position, person in enumerate(authors, start=1)
            ],
        )
        written += 1
        time.sleep(pause)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.backup_writer", description=__doc__)
    parser.add_argument("stop_file", help="Stop once this file exists.")
    parser.add_argument("--pause", type=float, default=0.05, help="Seconds between works.")
    arguments = parser.parse_args(argv)
    print(write_works(arguments.stop_file, arguments.pause))
    return 0


if __name__ == "__main__":
    sys.exit(main())
