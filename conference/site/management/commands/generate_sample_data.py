from django.core.management.base import BaseCommand, CommandError

from bench.sample_data import archive_is_empty, generate_sample_data


class Command(BaseCommand):
    help = (
        "Fill the archive with a large, realistic, reproducible sample: at scale 1 about "
        "200 meetings, 20,000 works, 40,000 people and 2,000 institutions, with one meeting "
        "of 400 presentations. Prints the slug of the largest meeting at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiplies every row count; 0.01 is quick, 1 is the benchmark size.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data."
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--append",
            action="store_true",
            help="Add the sample to an archive that already has data.",
        )
        mode.add_argument(
            "--flush-sample",
            action="store_true",
            help=(
                "Delete every meeting, work, person and institution first (user accounts "
                "stay), then generate."
            ),
        )
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the slug of the largest meeting."
        )

    def handle(self, *args, scale, seed, append, flush_sample, quiet, **options):
        if not 0 < scale <= 50:
            raise CommandError(f"--scale must be above 0 and at most 50, not {scale}.")
        if not (append or flush_sample or archive_is_empty()):
            raise CommandError(
                "The database already holds meetings, works or people. Use --append to add "
                "the sample to them, or --flush-sample to delete them first."
            )

        def progress(label, rows, stage_seconds, total_seconds):
            self.stdout.write(
                f"{label:<20} {rows:>8,} rows {stage_seconds:6.1f} s (total {total_seconds:.1f} s)"
            )

        if not quiet:
            self.stdout.write(f"Generating sample data at scale {scale:g} with seed {seed}…")
        summary = generate_sample_data(
            scale=scale, seed=seed, flush=flush_sample, progress=None if quiet else progress
        )
        if quiet:
            self.stdout.write(summary.largest_meeting_slug)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s: {sum(summary.counts.values()):,} rows. "
                f"Largest meeting ({summary.largest_meeting_presentations} presentations):"
            )
        )
        self.stdout.write(summary.largest_meeting_slug)
