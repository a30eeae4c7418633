from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from conference.site.backup import ARCHIVE_APPS, is_history


def archive_models():
    """The models organizers edit (meetings, works, people...) and their many-to-many
    tables, without their history."""
    return [
        model
        for label in ARCHIVE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not is_history(model)
    ]


class Command(BaseCommand):
    help = (
        "Load the demo meeting into an empty archive, each record with its first version in "
        "the edit history. An archive that holds any record is left exactly as it is, so "
        "running it on every start (`make serve`) never undoes an organizer's edit."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        present = [
            f"{count:,} {model._meta.verbose_name_plural}"
            for model in archive_models()
            if (count := model._default_manager.count())
        ]
        if present:
            if verbose:
                self.stdout.write(
                    f"The archive already holds records ({', '.join(present[:3])}"
                    f"{', …' if len(present) > 3 else ''}): the demo meeting is loaded only "
                    "into an empty archive, so your edits stay as they are."
                )
            return
        # loaddata writes rows without history (only a work's topics leave a version of it);
        # each other row gets its first version here, as simple-history's populate_history
        # would, with one line of output instead of one per batch.
        call_command("loaddata", "demo", verbosity=0)
        for model in archive_models():
            try:
                history = get_history_manager_for_model(model)
            except NotHistoricalModelError:
                continue
            with_history = history.values_list(model._meta.pk.attname, flat=True)
            rows = list(model._default_manager.exclude(pk__in=with_history))
            history.bulk_history_create(rows)
        if verbose:
            loaded = sum(
                model._default_manager.count()
                for model in archive_models()
                if not model._meta.auto_created
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo meeting: {loaded} records, each with its first version "
                    "in the edit history."
                )
            )
