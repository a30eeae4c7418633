import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from harvest import crossref, items


class Command(BaseCommand):
    help = (
        "Write the Crossref deposit (schema 5.3.0) of a meeting's papers: to standard output, "
        "or to --output FILE. Works without a DOI (recorded or marked to register) are left "
        "out and listed on standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="The meeting's slug, as in /meetings/<slug>/.")
        parser.add_argument("--output", "-o", help="File to write instead of standard output.")

    def handle(self, *args, meeting, output=None, **options):
        found = items.meetings_for_harvest().filter(slug=meeting).first()
        if found is None:
            raise CommandError(
                f"No meeting has the slug {meeting!r}: the slug is the last part of the "
                "meeting page's address, e.g. coproduction-2023-nijmegen."
            )
        deposit = crossref.deposit_for_meeting(
            found, absolute=lambda path: settings.SITE_URL + path
        )
        for paper, reason in deposit.left_out:
            self.stderr.write(f"Left out “{paper.title}”: {reason}.")
        if output:
            Path(output).write_bytes(deposit.to_bytes())
            self.stderr.write(f"Wrote {len(deposit.works)} paper(s) to {output}.")
        else:
            sys.stdout.buffer.write(deposit.to_bytes())
