from pathlib import Path

from config.imports import ImportCommand
from professionals.imports import import_ameli_densities


class Command(ImportCommand):
    help = "Import Assurance Maladie densities (per 100,000) as official figures per 10,000."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        created, updated = self.run_import(
            import_ameli_densities, verbosity=options["verbosity"], path=options["file"]
        )
        self.stdout.write(self.style.SUCCESS(f"{created} figures created, {updated} updated."))
