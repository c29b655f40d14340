"""Load the demo directory: real territories and figures, the seeds' hubs and programmes.

Every write is an upsert keyed by a slug or code, so a second run changes nothing.
"""

import datetime
import itertools
import json
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from access.compute import compute_access
from config import geo
from config.imports import progress_line
from districts.imports import import_population_grid, import_populations, import_territories
from districts.models import DensityFigure, Territory
from hubs.counts import counts_deferred
from hubs.gtfs import import_gtfs
from hubs.models import Hub, OpeningHours, Service
from hubs.pharmacies import import_pharmacies
from hubs.services import save_hub
from portal.context_processors import DEMO_CACHE_KEY
from professionals.imports import import_ameli_densities
from professionals.models import Membership, Profession, Professional, Sector
from programmes.models import Beneficiary, Funder, Funding, SupportProgramme, SupportType

FIXTURES = settings.BASE_DIR / "fixtures"
DATA = FIXTURES / "data"
COMMUNES_SOURCE = "data.gouv.fr, « Communes et villes de France » (édition 2024)"
GRID_SOURCE = "INSEE, Filosofi 2019 carroyé à 200 m (extrait : Rennes, Vern-sur-Seiche, Lille)"
STAR_LICENCE = "données ouvertes STAR (Keolis Rennes pour Rennes Métropole)"
DEMO_RETIREMENT_YEAR = 2028
DEMO_POPULATION_SOURCE = "Estimation arrondie de démonstration (pas un chiffre officiel)"
FIRST_NAMES = ["Claire", "Yann", "Nadia", "Thomas", "Awa", "Julien", "Maëlle", "Karim", "Sophie", "Erwan"]
LAST_NAMES = ["Le Gall", "Martin", "Benali", "Moreau", "Diallo", "Lefebvre", "Guillou", "Haddad", "Petit"]

# (slug, name, level, code, parent slug)
TREE = [
    ("france", "France", Territory.Level.COUNTRY, "FR", None),
    ("bretagne", "Bretagne", Territory.Level.REGION, "53", "france"),
    ("hauts-de-france", "Hauts-de-France", Territory.Level.REGION, "32", "france"),
    ("normandie", "Normandie", Territory.Level.REGION, "28", "france"),
    ("ille-et-vilaine", "Ille-et-Vilaine", Territory.Level.DEPARTMENT, "35", "bretagne"),
    ("nord", "Nord", Territory.Level.DEPARTMENT, "59", "hauts-de-france"),
    ("calvados", "Calvados", Territory.Level.DEPARTMENT, "14", "normandie"),
    ("lille", "Lille", Territory.Level.CITY, "59350", "nord"),
    ("vire-normandie", "Vire Normandie", Territory.Level.DISTRICT, "14762", "calvados"),
]


def parse_time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def parse_date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def weekdays(spec: str) -> list[int]:
    """'0-4' -> Monday..Friday, '5' -> Saturday."""
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


class Command(BaseCommand):
    help = "Load the demo directory (idempotent). --only-if-empty does nothing when hubs exist."

    def add_arguments(self, parser):
        parser.add_argument("--only-if-empty", action="store_true")
        parser.add_argument(
            "--without-pharmacies",
            action="store_true",
            help="skip the 351 Lille pharmacies (quicker, for tests)",
        )

    def handle(self, *args, **options):
        if options["only_if_empty"] and Hub.objects.exists():
            self.stdout.write("The directory already has hubs: demo data left as it is.")
            return
        self.progress = progress_line(self, options["verbosity"])
        content = json.loads((FIXTURES / "demo.json").read_text(encoding="utf-8"))
        with transaction.atomic(), counts_deferred():  # the territories' counts once, at the end
            self.load_territories(content["district_demo"])
            self.load_professions_and_services(content)
            self.load_densities(content["densities"])
            funders = self.load_funders(content["funders"])
            hubs = self.load_hubs(content, funders)
            self.load_programmes(content, funders, hubs)
            self.load_staff(content["staff"], hubs)
            # Real stops and lines of the Rennes network around the demo hubs (fixtures/data/SOURCES.md).
            import_gtfs(path=DATA / "star_rennes_2012_extrait.zip", code="star", licence=STAR_LICENCE)
            # Real population on INSEE's 200 m grid: the excerpt covers Rennes, Vern and Lille entirely.
            cities = Territory.objects.filter(code__in=["35238", "35352", "59350"])  # Vern is a district here
            import_population_grid(
                path=DATA / "insee_carreaux_200m_2019_rennes_vern_lille.csv", year=2019, source=GRID_SOURCE,
                covering=list(Territory.objects.filter(Q(pk__in=cities) | Q(parent__in=cities)).values_list("slug", flat=True)),
            )  # fmt: skip
            if not options["without_pharmacies"]:
                # The pharmacy layer is real open data (OpenStreetMap via the MEL), not demo content.
                import_pharmacies(path=DATA / "lille_mel_pharmacies.json")
        compute_access()  # once every hub and professional is in
        caches["local"].delete(DEMO_CACHE_KEY)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {Territory.objects.count()} territories, {Hub.objects.count()} hubs, "
                f"{Professional.objects.count()} professionals, {SupportProgramme.objects.count()} programmes."
            )
        )

    def load_territories(self, district_demo):
        for slug, name, level, code, parent in TREE:
            Territory.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "level": level,
                    "code": code,
                    "parent": Territory.objects.get(slug=parent) if parent else None,
                },
            )
        ille_et_vilaine, lille = (
            Territory.objects.get(slug="ille-et-vilaine"),
            Territory.objects.get(slug="lille"),
        )
        communes = DATA / "communes-35-ille-et-vilaine.geojson"
        import_territories(
            path=communes, level=Territory.Level.CITY, parent=ille_et_vilaine, name_field="nom",
            code_field="code", only_codes=["35238"], progress=self.progress,
        )  # fmt: skip
        import_territories(
            path=communes, level=Territory.Level.DISTRICT, parent=ille_et_vilaine, name_field="nom",
            code_field="code", only_codes=["35352"], progress=self.progress,
        )  # fmt: skip
        rennes = Territory.objects.get(level=Territory.Level.CITY, code="35238")
        import_territories(
            path=DATA / "rennes_12_quartiers.geojson", level=Territory.Level.DISTRICT, parent=rennes,
            name_field="nom", code_field="nuquart", code_prefix="35238-", progress=self.progress,
        )  # fmt: skip
        import_territories(
            path=DATA / "lille_quartiers_mel.geojson", level=Territory.Level.DISTRICT, parent=lille,
            name_field="quartier", code_field="code_quar", code_prefix="59350-", progress=self.progress,
        )  # fmt: skip
        # Lille's outline is the union of its quartiers and associated communes.
        union = None
        for quartier in lille.children.order_by("pk"):
            union = quartier.boundary if union is None else union.union(quartier.boundary)
        if union is not None and (lille.boundary is None or not lille.boundary.equals(union)):
            lille.boundary = geo.as_multipolygon(union)
            lille.save(update_fields=["boundary"])

        import_populations(path=DATA / "communes_france_2024_limite.csv", year=2024, source=COMMUNES_SOURCE)
        for slug, values in district_demo.items():
            if slug.startswith("_"):
                continue
            Territory.objects.filter(slug=slug).update(
                population=values["population"],
                population_year=None,
                population_source=DEMO_POPULATION_SOURCE,
                is_priority_area=values.get("priority", False),
            )

    def load_professions_and_services(self, content):
        for item in content["professions"]:
            Profession.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "counts_as_gp": item.get("counts_as_gp", False),
                    "synonyms": item.get("synonyms", ""),
                },
            )
        professions = {p.code: p for p in Profession.objects.all()}
        for item in content["services"]:
            Service.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "category": item["category"],
                    "profession": professions.get(item.get("profession")),
                },
            )

    def load_densities(self, densities):
        for item in densities:
            per_10k = Decimal(item["per_10k"]) if "per_10k" in item else Decimal(item["per_100k"]) / 10
            DensityFigure.objects.update_or_create(
                territory=Territory.objects.get(slug=item["territory"]),
                profession=Profession.objects.get(code=item["profession"]),
                year=item["year"],
                source=item["source"],
                defaults={"per_10k": per_10k, "source_url": item.get("source_url", "")},
            )
        import_ameli_densities(path=DATA / "ameli_effectifs_densite_professions_departement_2024.csv")

    def load_funders(self, funders):
        for item in funders:
            Funder.objects.update_or_create(
                slug=item["slug"],
                defaults={"name": item["name"], "kind": item["kind"], "website": item.get("website", "")},
            )
        return {f.slug: f for f in Funder.objects.all()}

    def load_hubs(self, content, funders):
        services = {s.slug: s for s in Service.objects.all()}
        for item in content["hubs"]:
            if item.get("prs"):
                item = {**content["lille_prs_common"], **item}
            territory = Territory.objects.get(slug=item["territory"]) if "territory" in item else None
            if "lat" in item:
                location = geo.point(lat=item["lat"], lng=item["lng"])
            else:
                location = territory.boundary.point_on_surface
            hub = Hub.objects.filter(slug=item["slug"]).first() or Hub(slug=item["slug"])
            values = {
                "name": item["name"],
                "kind": item["kind"],
                "status": Hub.Status.OPEN,
                "description": item.get("description", ""),
                "street": item.get("street", ""),
                "postcode": item.get("postcode", ""),
                "city": item.get("city", ""),
                "location": location,
                "phone": item.get("phone", ""),
                "website": item.get("website", ""),
                "booking_url": item.get("booking_url", ""),
                "booking_by_phone_only": item.get("booking_by_phone_only", False),
                "tiers_payant": item.get("tiers_payant", False),
                "participatory": item.get("participatory", False),
                "ars_recognised": item.get("ars_recognised", False),
                "opened_on": parse_date(item.get("opened_on")),
                "languages": item.get("languages", ""),
                "source": item.get("source", ""),
                "published": True,
                "is_demo": True,
            }
            if hub.pk is None or any(getattr(hub, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(hub, name, value)
                save_hub(hub, expected_version=hub.version)
            hub.services.set([services[s] for s in item.get("services", [])])
            hub.supporters.set([funders[f] for f in item.get("supporters", [])])
            for spec, intervals in item.get("hours", {}).items():
                for weekday, (opens, closes) in itertools.product(weekdays(spec), intervals):
                    OpeningHours.objects.update_or_create(
                        hub=hub,
                        weekday=weekday,
                        opens=parse_time(opens),
                        defaults={"closes": parse_time(closes)},
                    )
        return {h.slug: h for h in Hub.objects.all()}

    def load_programmes(self, content, funders, hubs):
        for code in SupportType.Code.values:
            SupportType.objects.get_or_create(code=code)
        for code in Beneficiary.Code.values:
            Beneficiary.objects.get_or_create(code=code)
        for item in content["programmes"]:
            programme, _ = SupportProgramme.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "max_amount": item.get("max_amount"),
                    "total_budget": item.get("total_budget"),
                    "budget_period": item.get("budget_period", ""),
                    "starts_on": item.get("starts_on"),
                    "starts_year_only": item.get("starts_year_only", False),
                    "ends_on": item.get("ends_on"),
                    "eligibility": item.get("eligibility", ""),
                    "description": item.get("description", ""),
                    "url": item.get("url", ""),
                    "source": item.get("source", ""),
                },
            )
            programme.funders.set([funders[f] for f in item["funders"]])
            programme.support_types.set(SupportType.objects.filter(code__in=item["support_types"]))
            programme.beneficiaries.set(Beneficiary.objects.filter(code__in=item["beneficiaries"]))
            programme.territories.set(Territory.objects.filter(slug__in=item["territories"]))
        for item in content["fundings"]:
            Funding.objects.update_or_create(
                programme=SupportProgramme.objects.get(slug=item["programme"]),
                hub=hubs[item["hub"]],
                year=item.get("year"),
                defaults={"amount": item.get("amount"), "note": item.get("note", "")},
            )

    def load_staff(self, staff, hubs):
        names = itertools.cycle(
            f"{first} {last}" for last, first in itertools.product(LAST_NAMES, FIRST_NAMES)
        )
        for item in staff:
            profession = Profession.objects.get(code=item["profession"])
            for index in range(item["count"]):
                name = f"{next(names)} (démo)"
                professional, _ = Professional.objects.update_or_create(
                    display_name=name,
                    is_demo=True,
                    defaults={
                        "profession": profession,
                        "active": True,
                        # A hub's own answer follows these (hubs/counts.py, follow_professionals).
                        "accepting_new_patients": item.get("accepting", "YES" if index % 2 == 0 else "NO"),
                        "accepting_as_of": datetime.date(2026, 9, 1),
                        # Invented, like the people: one in four in secteur 2, one of them without OPTAM.
                        "sector": Sector.SECTEUR_2 if index % 4 == 3 else Sector.SECTEUR_1,
                        "optam": (index % 8 == 3) if index % 4 == 3 else None,
                        "carte_vitale": True,
                        "fees_as_of": datetime.date(2026, 9, 1),
                        "languages": "français",
                        "planned_retirement_year": DEMO_RETIREMENT_YEAR
                        if index < item.get("retiring", 0)
                        else None,
                    },
                )
                Membership.objects.update_or_create(
                    professional=professional,
                    hub=hubs[item["hub"]],
                    defaults={"days_present": item["days"], "role": profession.name},
                )
        # Demo professionals left over from an older demo file would count in densities.
        Professional.objects.filter(is_demo=True).exclude(Q(memberships__isnull=False)).delete()
