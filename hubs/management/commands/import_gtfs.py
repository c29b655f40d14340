from pathlib import Path

from config.imports import ImportCommand
from hubs.gtfs import import_gtfs


class Command(ImportCommand):
    help = (
        "Import a GTFS feed's stops and lines (a zip), replacing the feed of the same code: "
        "hub pages list the stops within 500 m."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--code", required=True, help="a short name for the network, e.g. star or ilevia")
        parser.add_argument(
            "--licence", default="", help="the licence the publisher gives, shown with the stops"
        )

    def handle(self, *args, **options):
        counts = self.run_import(
            import_gtfs,
            verbosity=options["verbosity"],
            path=options["file"],
            code=options["code"],
            licence=options["licence"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['stops']} stops and {counts['routes']} lines imported; "
                f"{counts['calls']} stop–line links."
            )
        )
