from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.commands import progress_line
from hubs.services import ImportProblem, import_pharmacies


class Command(BaseCommand):
    help = "Import the Lille metropolitan area pharmacies (Opendatasoft JSON) as hubs of kind pharmacy."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        try:
            counts = import_pharmacies(
                path=options["file"], progress=progress_line(self, options["verbosity"])
            )
        except ImportProblem as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['created']} pharmacies created, {counts['updated']} updated; opening hours read for "
                f"{counts['hours']}, not understood for {counts['hours_unread']} (left empty, not guessed)."
            )
        )
