from django.core.management.base import BaseCommand

from people.duplicates import possible_duplicates


class Command(BaseCommand):
    help = (
        "List pairs of people who may be one person (same ORCID iD, same family name with "
        "compatible given names, equal names after folding accents and transliteration), "
        "except pairs marked “not the same”. Merge them in the admin."
    )

    def handle(self, *args, **options):
        pairs = possible_duplicates()
        for pair in pairs:
            self.stdout.write(
                f"{pair.first.full_name} ({pair.first.slug})\t"
                f"{pair.second.full_name} ({pair.second.slug})\t{pair.reason}"
            )
        self.stdout.write(f"{len(pairs)} possible duplicate{'' if len(pairs) == 1 else 's'}.")
