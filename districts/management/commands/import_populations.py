from pathlib import Path

from config.imports import ImportCommand
from districts.imports import import_populations


class Command(ImportCommand):
    help = "Set commune populations from a ';'-separated CSV with code_insee and population columns."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, default=2024)
        parser.add_argument("--source", default="data.gouv.fr, « Communes et villes de France »")

    def handle(self, *args, **options):
        updated = self.run_import(
            import_populations,
            verbosity=options["verbosity"],
            path=options["file"],
            year=options["year"],
            source=options["source"],
        )
        self.stdout.write(self.style.SUCCESS(f"{updated} territories updated."))
