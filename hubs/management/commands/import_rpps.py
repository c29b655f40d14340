from pathlib import Path

from django.core.management.base import CommandError

from config.downloads import registry_file
from config.imports import ImportCommand
from districts.models import CompleteDirectory, Territory
from hubs.rpps import PROFESSIONS, import_rpps
from professionals.models import Profession


def declare_complete(territories, *, on) -> None:
    """Every profession the RPPS lists is now complete in these territories."""
    listed = {"general-practitioner", "specialist", *PROFESSIONS.values()}
    for territory in territories:
        for profession in Profession.objects.filter(code__in=listed):
            CompleteDirectory.objects.update_or_create(
                territory=territory,
                profession=profession,
                defaults={"source": f"RPPS (Annuaire Santé), extraction du {on:%d/%m/%Y}", "as_of": on},
            )


class Command(ImportCommand):
    help = (
        "Import the Annuaire Santé extraction PS_LibreAcces_Personne_activite: professionals practising in the "
        "portal's communes, by RPPS, linked to hubs by FINESS site, SIRET, then address."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="the extraction: a path, or an https:// link (downloaded, then kept)"
        )
        parser.add_argument("--savoir-faire", type=Path, help="PS_LibreAcces_SavoirFaire (tells GPs apart)")
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
        parser.add_argument(
            "--allow-closures",
            type=int,
            default=0,
            metavar="N",
            help="let this run make up to N professionals inactive (past 5%% of those it manages, it refuses)",
        )
        parser.add_argument(
            "--complete-for",
            nargs="+",
            metavar="SLUG",
            default=[],
            help="territories this extraction covers entirely (a national file: france): densities computed from "
            "the directory are shown there, for the professions the file lists",
        )

    def handle(self, *args, **options):
        territories = list(Territory.objects.filter(slug__in=options["complete_for"]))
        unknown = set(options["complete_for"]) - {t.slug for t in territories}
        if unknown:
            raise CommandError(
                f"--complete-for: no territory {', '.join(sorted(unknown))}. Nothing was imported."
            )
        with registry_file(options["file"], name="rpps", progress=options["verbosity"] > 0) as path:
            counts = self.import_file(path, options)
        self.report(counts, options)
        if territories and not options["dry_run"]:
            declare_complete(territories, on=counts["extracted_on"])
            self.stdout.write(f"Directory declared complete for {', '.join(t.name for t in territories)}.")

    def import_file(self, path, options):
        return self.run_import(
            lambda progress: import_rpps(
                path=path,
                savoir_faire=options["savoir_faire"],
                dry_run=options["dry_run"],
                allow_closures=options["allow_closures"],
                progress=options["verbosity"] > 0,
            ),
            verbosity=0,
        )

    def report(self, counts, options):
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"RPPS extraction of {counts['extracted_on']:%Y-%m-%d}: {counts['created']} professionals {verb} "
            f"created, {counts['updated']} updated, {counts['unchanged'] + counts['confirmed']} unchanged "
            f"({counts['confirmed']} confirmed by this newer extraction), {counts['closed']} no longer "
            f"listed (made inactive); {counts['linked']} new places of practice linked, {counts['unlinked']} "
            f"activities not linked to a hub, {counts['unlinked_by_hand']} links a person removed left out; "
            f"{counts['suggested']} values set by hand differ (suggestions)."
        )
        for site in counts["unlinked_sites"]:
            self.stdout.write(f"  not linked: {site}")
        changes = sum(counts[k] for k in ["created", "updated", "closed", "linked", "suggested"])
        self.say_outcome(changes=changes, dry_run=options["dry_run"])
