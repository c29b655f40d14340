from pathlib import Path

from config.imports import ImportCommand
from professionals.imports import import_apl


class Command(ImportCommand):
    help = (
        "Import the DREES's APL to GPs for the communes the portal has, from its workbook (the newest "
        '"APL <year>" sheet unless --sheet) or a CSV with the same header (then --year).'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, help="the millésime, for a CSV (a workbook's sheet names it)")
        parser.add_argument("--sheet", help='a sheet other than the newest, e.g. "APL 2022"')

    def handle(self, *args, **options):
        created, updated = self.run_import(
            import_apl, verbosity=options["verbosity"], path=options["file"], year=options["year"],
            sheet=options["sheet"],
        )  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"{created} APL figures created, {updated} updated."))
