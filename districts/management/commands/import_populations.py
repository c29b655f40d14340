import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.commands import progress_line
from districts.services import ImportProblem, import_populations


class Command(BaseCommand):
    help = "Set commune populations from a ';'-separated CSV with code_insee and population columns."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, default=2024)
        parser.add_argument("--source", default="data.gouv.fr, « Communes et villes de France »")

    def handle(self, *args, **options):
        try:
            updated = import_populations(
                path=options["file"],
                year=options["year"],
                source=options["source"],
                progress=progress_line(self, options["verbosity"]),
            )
        except (ImportProblem, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc
        self.stdout.write(self.style.SUCCESS(f"{updated} territories updated."))
