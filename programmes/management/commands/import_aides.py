from pathlib import Path

from config.imports import ImportCommand
from programmes.imports import import_aides


class Command(ImportCommand):
    help = "Import funding aids from an aides-territoires CSV export (re-import updates by link)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--only-health", action="store_true", help="keep the aids about health and care")

    def handle(self, *args, **options):
        counts = self.run_import(
            import_aides,
            verbosity=options["verbosity"],
            path=options["file"],
            only_health=options["only_health"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['created']} programmes created, {counts['updated']} updated, {counts['skipped']} skipped."
            )
        )
