from pathlib import Path

from config.imports import ImportCommand
from districts.imports import import_population_grid


class Command(ImportCommand):
    help = (
        "Import INSEE's population on the 200 m grid (données carroyées, Filosofi): CSV or GeoPackage with the "
        "cell id (idcar_200m) and ind. A second run updates the cells. Then run compute_access."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="the grid's year (Filosofi 2019: 2019)")
        parser.add_argument("--source", default="", help="shown with the figures; INSEE's title by default")
        parser.add_argument(
            "--covering",
            nargs="+",
            metavar="SLUG",
            help="the territories the file covers entirely (an excerpt); by default those inside its cells' extent",
        )

    def handle(self, *args, **options):
        source = (
            options["source"]
            or f"INSEE, revenus localisés sociaux et fiscaux (Filosofi) carroyés à 200 m, {options['year']}"
        )
        counts = self.run_import(
            import_population_grid,
            verbosity=options["verbosity"],
            path=options["file"],
            year=options["year"],
            source=source,
            covering=options["covering"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['cells']} cells written; {counts['covered']} territories covered. "
                "Run compute_access to compute their figures."
            )
        )
