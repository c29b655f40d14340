from pathlib import Path

from config.imports import ImportCommand
from hubs.pharmacies import import_pharmacies


class Command(ImportCommand):
    help = "Import the Lille metropolitan area pharmacies (Opendatasoft JSON) as hubs of kind pharmacy."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        counts = self.run_import(import_pharmacies, verbosity=options["verbosity"], path=options["file"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['created']} pharmacies created, {counts['updated']} updated; opening hours read for "
                f"{counts['hours']}, not understood for {counts['hours_unread']} (left empty, not guessed)."
            )
        )
