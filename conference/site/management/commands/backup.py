from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conference.site.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write everything to one portable JSON file: meetings, works, people and institutions "
        "with their edit history, user accounts, groups and API tokens. `restore` reads it "
        "into a new, empty database, SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. archive-2025-06-01.json.")
        parser.add_argument("--force", action="store_true", help="Overwrite the file if it exists.")
        parser.add_argument(
            "--database", default="default", help="The database to back up (default: default)."
        )

    def handle(self, *args, file, force, database, **options):
        path = Path(file)
        if path.exists() and not force:
            raise CommandError(f"{path} exists already: choose another name or add --force.")
        partial = path.with_name(path.name + ".partial")
        verbose = options["verbosity"] > 0

        def progress(label, rows):
            if verbose:
                self.stdout.write(f"{label:<36} {rows:>9,} rows")

        try:
            with partial.open("w", encoding="utf-8") as stream:
                total = write_backup(stream, progress=progress, using=database)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        # Only a complete backup gets the name asked for.
        partial.replace(path)
        if verbose:
            self.stdout.write(self.style.SUCCESS(f"Wrote {total:,} rows to {path}."))
