from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conference.site.backup import BackupProblem, DatabaseNotEmpty, read_backup


class Command(BaseCommand):
    help = (
        "Read a file written by `backup` into a new, empty database (run `migrate` first). "
        "Everything is restored in one transaction: on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by `manage.py backup`.")
        parser.add_argument(
            "--database", default="default", help="The database to restore into (default: default)."
        )

    def handle(self, *args, file, database, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        verbose = options["verbosity"] > 0

        def progress(message):
            if verbose:
                self.stdout.write(message)

        try:
            with path.open(encoding="utf-8") as stream:
                counts = read_backup(stream, progress=progress, using=database)
        except (DatabaseNotEmpty, BackupProblem) as error:
            raise CommandError(str(error)) from None
        if verbose:
            for label, rows in counts.items():
                self.stdout.write(f"{label:<36} {rows:>9,} rows")
            self.stdout.write(
                self.style.SUCCESS(f"Restored {sum(counts.values()):,} rows from {path}.")
            )
