from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from harvest import services
from harvest.models import DoiRegistration


class Command(BaseCommand):
    help = (
        "Write the DataCite XML and Crossref deposits of every work and meeting marked "
        "“to register” into a folder, and mark them exported. Upload the files with your "
        "DataCite or Crossref account (README: Harvesting and DOIs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default="doi-export", help="Folder for the files (doi-export)."
        )
        parser.add_argument(
            "--confirm",
            nargs="+",
            metavar="DOI",
            help="Instead of exporting: these DOIs were accepted by the agency; put them on "
            "the records' pages.",
        )

    def handle(self, *args, output_dir, confirm=None, **options):
        if confirm:
            return self.confirm(confirm)
        pending = DoiRegistration.objects.to_register()
        count = pending.count()
        if not count:
            self.stdout.write("Nothing is marked to register: mark works or meetings first.")
            return
        written = services.export_registrations(directory=output_dir)
        self.stdout.write(f"Exported {count} DOI registration(s):")
        for path in written:
            self.stdout.write(f"  {path}")

    def confirm(self, dois):
        registrations = {r.doi.lower(): r for r in DoiRegistration.objects.filter(doi__in=dois)}
        unknown = [doi for doi in dois if doi.lower() not in registrations]
        if unknown:
            raise CommandError(f"Not marked for registration here: {', '.join(unknown)}.")
        for registration in registrations.values():
            try:
                services.confirm_registration(registration=registration)
            except ValidationError as error:
                raise CommandError(f"{registration.doi}: {'; '.join(error.messages)}") from error
            self.stdout.write(f"Registered {registration.doi} for {registration.record}.")
