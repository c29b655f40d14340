from config.downloads import registry_file
from config.imports import ImportCommand
from hubs.finess import KINDS, import_finess


class Command(ImportCommand):
    help = (
        "Import a FINESS extraction as hubs: the data.gouv.fr JSON (finess-structures, stock or daily) or the older "
        "etalab CSV, told apart by their content. Maisons de santé, centres de santé and pharmacies by default, "
        "by FINESS number; a complete extraction closes (unpublishes) those it no longer lists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="the extraction: a path, or an https:// link (downloaded, then kept)"
        )
        parser.add_argument(
            "--departement", action="append", default=[], help="e.g. 35 or 971 (repeatable, or 35,56)"
        )
        parser.add_argument(
            "--commune",
            action="append",
            default=[],
            help="INSEE code, e.g. 35238 (repeatable, or a comma list)",
        )
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            help=f"FINESS category of three digits (default: {', '.join(KINDS)}; repeatable, or a comma list)",
        )
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--stock",
            dest="stock",
            action="store_const",
            const=True,
            help="the file lists every establishment",
        )
        kind.add_argument(
            "--daily", dest="stock", action="store_const", const=False, help="the file holds changes only"
        )
        parser.add_argument(
            "--allow-closures",
            type=int,
            default=0,
            metavar="N",
            help="let this run close up to N hubs (past 5%% of those it manages, and 10, it refuses)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")

    def handle(self, *args, **options):
        with registry_file(options["file"], name="finess", progress=options["verbosity"] > 0) as path:
            counts = self.import_file(path, options)
        self.report(
            counts, dry_run=options["dry_run"], communes=options["commune"], verbosity=options["verbosity"]
        )

    def import_file(self, path, options):
        return self.run_import(
            lambda progress: import_finess(
                path=path,
                departements=options["departement"],
                communes=options["commune"],
                categories=options["category"],
                stock=options["stock"],
                allow_closures=options["allow_closures"],
                dry_run=options["dry_run"],
                progress=options["verbosity"] > 0,
            ),
            verbosity=0,
        )

    def report(self, counts, *, dry_run, communes, verbosity):
        changes = (
            counts["created"] + counts["updated"] + counts["closed"] + counts["located"] + counts["suggested"]
        )
        verb = "would be" if dry_run else "were"
        kind = "stock" if counts["complete"] else "daily changes"
        self.stdout.write(
            f"FINESS extraction of {counts['extracted_on']:%Y-%m-%d} ({counts['format'].upper()}, {kind}): "
            f"{counts['created']} hubs {verb} created, {counts['updated']} updated, "
            f"{counts['unchanged'] + counts['confirmed']} unchanged ({counts['confirmed']} confirmed by this newer "
            f"extraction), {counts['closed']} closed (unpublished), {counts['located']} placed on the map, "
            f"{counts['unlocated']} without usable coordinates; {counts['suggested']} values set by hand differ "
            "(suggestions for editors)."
        )
        self.list_names(
            "would close" if dry_run else "closed", counts["closed_names"], show=dry_run or verbosity > 1
        )
        self.list_names("without coordinates", counts["unlocated_names"], show=verbosity > 1)
        if communes:
            self.stdout.write("Closures not checked: a commune's extract does not list its whole department.")
        if not counts["complete"]:
            self.stdout.write(
                "Closures only from the file's own closed establishments: it holds changes only."
            )
        self.say_outcome(changes=changes, dry_run=dry_run)

    def list_names(self, label: str, names, *, show: bool) -> None:
        if show:
            for name in names:
                self.stdout.write(f"  {label}: {name}")
