import datetime
from pathlib import Path

from config.imports import ImportCommand
from hubs.acceslibre import import_acceslibre


class Command(ImportCommand):
    help = (
        "Import accessibility from acceslibre's open-data CSV export: rows matched to hubs by SIRET, "
        "else by name within 50 m. Values a person set by hand are kept (a suggestion is made instead)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--extracted-on",
            type=datetime.date.fromisoformat,
            default=None,
            help="the export's date (YYYY-MM-DD), shown as the source's date; today when left out",
        )

    def handle(self, *args, **options):
        counts = self.run_import(
            import_acceslibre,
            verbosity=options["verbosity"],
            path=options["file"],
            extracted_on=options["extracted_on"] or datetime.date.today(),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['rows']} rows read; {counts['matched']} matched a hub, {counts['updated']} updated, "
                f"{counts['suggested']} suggestions for values set by hand."
            )
        )
