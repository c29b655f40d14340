import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.commands import progress_line
from districts.services import ImportProblem, import_ameli_densities


class Command(BaseCommand):
    help = "Import Assurance Maladie densities (per 100,000) as official figures per 10,000."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        try:
            created, updated = import_ameli_densities(
                path=options["file"],
                progress=progress_line(self, options["verbosity"]),
            )
        except (ImportProblem, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc
        self.stdout.write(self.style.SUCCESS(f"{created} figures created, {updated} updated."))
