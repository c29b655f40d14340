from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.commands import progress_line
from programmes.services import ImportProblem, import_aides


class Command(BaseCommand):
    help = "Import funding aids from an aides-territoires CSV export (re-import updates by link)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--only-health", action="store_true", help="keep the aids about health and care")

    def handle(self, *args, **options):
        try:
            counts = import_aides(
                path=options["file"],
                only_health=options["only_health"],
                progress=progress_line(self, options["verbosity"]),
            )
        except ImportProblem as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['created']} programmes created, {counts['updated']} updated, {counts['skipped']} skipped."
            )
        )
