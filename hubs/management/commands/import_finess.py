from pathlib import Path

from config.imports import ImportCommand
from hubs.finess import KINDS, import_finess


class Command(ImportCommand):
    help = (
        "Import the FINESS extraction (etalab CSV) as hubs: maisons de santé, centres de santé and pharmacies by "
        "default, created or updated by FINESS number; those gone from the extraction are unpublished."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--departement", action="append", default=[], help="e.g. 35 (repeatable)")
        parser.add_argument(
            "--commune", action="append", default=[], help="INSEE code, e.g. 35238 (repeatable)"
        )
        parser.add_argument(
            "--category", action="append", default=[], help=f"FINESS categetab (default: {', '.join(KINDS)})"
        )
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")

    def handle(self, *args, **options):
        counts = self.run_import(
            lambda progress: import_finess(
                path=options["file"],
                departements=options["departement"],
                communes=options["commune"],
                categories=options["category"],
                dry_run=options["dry_run"],
                progress=options["verbosity"] > 0,
            ),
            verbosity=0,
        )
        self.report(counts, dry_run=options["dry_run"], communes=options["commune"])

    def report(self, counts, *, dry_run, communes):
        changes = (
            counts["created"] + counts["updated"] + counts["closed"] + counts["located"] + counts["suggested"]
        )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"FINESS extraction of {counts['extracted_on']:%Y-%m-%d}: {counts['created']} hubs {verb} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, {counts['closed']} closed "
            f"(unpublished), {counts['located']} placed on the map, {counts['unlocated']} without usable "
            f"coordinates; {counts['suggested']} values set by hand differ (suggestions for editors)."
        )
        if communes:
            self.stdout.write("Closures not checked: a commune's extract does not list its whole department.")
        self.say_outcome(changes=changes, dry_run=dry_run)
