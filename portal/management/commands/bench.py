"""National-scale benchmark: a synthetic France, then server time for every public page, as a table.

`manage.py bench --hubs N --professionals M --communes C [--load-only]` (other tools reuse this interface).
Run it with `make bench` (a throwaway PostGIS). It refuses a database that already holds hubs, so it can
never touch real data.

The synthetic country: 13 regions, 100 departments, C communes (no boundary, hubs placed in them by hand),
and 10 cities of 30 quartiers each with grid boundaries (300 districts); N hubs, 30 % of them in the grid,
M professionals (one in ten in two hubs), 200 programmes with 5 fundings each, official GP densities.
"""

import base64
import random
import statistics
import time
import tracemalloc

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from access import bench as access_bench
from config.text import normalise
from districts.models import DensityFigure, PopulationCell, Territory
from hubs.counts import recount_territories, relist_professionals
from hubs.map_data import forget_maps
from hubs.models import Hub, OpeningHours, Service
from professionals.models import Membership, Profession, Professional
from programmes.models import Funder, Funding, SupportProgramme

WEST, SOUTH, EAST, NORTH = -4.5, 42.5, 7.5, 51.0
CITIES, QUARTIERS_PER_SIDE = 10, (6, 5)  # 10 cities × 30 quartiers = 300 districts with boundaries
HTML_TARGET = (100, 10, 150_000)  # median ms, queries, bytes
MAP_TARGET = (100, 10, 200_000)  # median ms, queries, gzip bytes
DATA_TARGET = (100, 10, 500_000)  # open data (API, FHIR, feeds): a page of 50 records, throttling included
WHAT_IF_TARGET = (500, 15, 150_000)  # the "what if a centre opened here" answer for a city
DEPARTMENT_TARGET_SECONDS = 300
BATCH = 5000


def save_in_batches(model, objects) -> None:
    """bulk_create a generator BATCH rows at a time: memory stays flat at any scale."""
    batch = []
    for record in objects:
        batch.append(record)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


class QueryCounter:
    """Counts SQL statements whatever DEBUG says (an execute wrapper, not the debug query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rand_point():
    return random.uniform(WEST, EAST - 1e-6), random.uniform(SOUTH, NORTH - 1e-6)


class Command(BaseCommand):
    help = "Load a national-scale synthetic directory (or stop there) and time every public page."

    def add_arguments(self, parser):
        parser.add_argument("--hubs", type=int, default=100_000)
        parser.add_argument("--professionals", type=int, default=500_000)
        parser.add_argument("--communes", type=int, default=35_000)
        parser.add_argument("--cells", type=int, default=0, help="populated 200 m cells (access analysis)")
        parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
        parser.add_argument("--load-only", action="store_true", help="load the data and stop")
        parser.add_argument(
            "--time-only", action="store_true", help="time the pages of a database loaded by --load-only"
        )

    def handle(self, *args, **options):
        if options["time_only"]:
            if not Territory.objects.filter(slug="region-1").exists():
                raise CommandError("--time-only needs a database loaded by `bench --load-only`.")
            self.report(options["requests"])
            return
        if Hub.objects.exists():
            raise CommandError("This database already has hubs: the benchmark only runs on an empty one.")
        random.seed(42)
        started = time.perf_counter()
        tracemalloc.start()
        self.load(options["hubs"], options["professionals"], options["communes"])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does soon after a bulk load: planner statistics, and the visibility map
                # that lets the national map read its index alone.
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Loaded {options['hubs']:,} hubs, {options['professionals']:,} professionals, "
            f"{options['communes']:,} communes in {time.perf_counter() - started:.0f} s "
            f"(Python peak {peak / 1e6:.0f} MB)"
        )
        if options["cells"]:
            seconds = access_bench.load_cells(options["cells"])
            cells, seconds_department, peak_department = access_bench.time_department()
            self.stdout.write(f"Loaded {options['cells']:,} population cells in {seconds:.0f} s. Access recomputed for a department ({cells:,} cells) in {seconds_department:.1f} s, Python peak {peak_department:.0f} MB (target ≤ {DEPARTMENT_TARGET_SECONDS} s).")  # fmt: skip
        if not options["load_only"]:
            self.report(options["requests"])

    @transaction.atomic
    def load(self, hub_count, professional_count, commune_count):
        france = Territory.objects.create(
            name="France", slug="france", level=Territory.Level.COUNTRY, code="FR"
        )
        regions = Territory.objects.bulk_create(
            Territory(
                name=f"Région {i}",
                slug=f"region-{i}",
                level=Territory.Level.REGION,
                code=f"R{i}",
                parent=france,
            )
            for i in range(13)
        )
        departments = Territory.objects.bulk_create(
            Territory(
                name=f"Département {i}", slug=f"departement-{i}", level=Territory.Level.DEPARTMENT,
                code=f"D{i}", parent=regions[i % 13],
            )
            for i in range(100)
        )  # fmt: skip
        save_in_batches(
            Territory,
            (
                Territory(
                    name=f"Commune {i}", slug=f"commune-{i}", level=Territory.Level.DISTRICT, code=f"C{i}",
                    parent=departments[i % 100], population=random.randint(200, 20_000),
                    list_head=departments[i % 100].name,  # bulk_create skips save(), which sets it
                )
                for i in range(commune_count)
            ),
        )  # fmt: skip
        communes = list(Territory.objects.filter(code__startswith="C").only("pk", "name"))
        quartiers = self.load_cities(departments)
        gp = self.load_figures(quartiers, departments, france)
        hub_ids = self.load_hubs(hub_count, communes, quartiers)
        self.load_professionals(professional_count, hub_ids, gp)
        self.load_programmes(hub_ids, [*regions, *departments, *random.sample(communes, 100)])
        started = time.perf_counter()
        recount_territories(None)  # bulk_create sends no signal: count the directory once
        relist_professionals()
        self.stdout.write(f"Counted the directory per territory in {time.perf_counter() - started:.1f} s")

    def load_cities(self, departments):
        quartiers = []
        columns, rows = QUARTIERS_PER_SIDE
        size = 0.02
        for index in range(CITIES):
            lng, lat = WEST + 1 + index * 1.1, SOUTH + 1 + (index % 5) * 1.5
            city = Territory.objects.create(
                name=f"Ville {index}", slug=f"ville-{index}", level=Territory.Level.CITY, code=f"V{index}",
                parent=departments[index], population=columns * rows * 8_000,
            )  # fmt: skip
            for row in range(rows):
                for column in range(columns):
                    west, south = lng + column * size, lat + row * size
                    quartiers.append(
                        Territory(
                            name=f"Quartier {index}-{row}-{column}", slug=f"quartier-{index}-{row}-{column}",
                            level=Territory.Level.DISTRICT, parent=city, list_head=city.name, population=random.randint(3_000, 15_000),
                            boundary=MultiPolygon(Polygon.from_bbox((west, south, west + size, south + size)), srid=4326),
                        )
                    )  # fmt: skip
        return Territory.objects.bulk_create(quartiers)

    def load_figures(self, quartiers, departments, france):
        professions = [
            Profession.objects.create(code=code, name=name, counts_as_gp=code == "gp", synonyms=synonyms)
            for code, name, synonyms in [
                ("gp", "Médecin généraliste", "generaliste"),
                ("physio", "Masseur-kinésithérapeute", "kine"),
                ("nurse", "Infirmier", "infirmiere"),
                ("midwife", "Sage-femme", "sage femme"),
            ]
        ]
        for profession in professions:
            Service.objects.create(
                name=profession.name,
                slug=profession.code,
                category=Service.Category.CARE,
                profession=profession,
            )
        DensityFigure.objects.bulk_create(
            DensityFigure(
                territory=t, profession=professions[0], per_10k=round(random.uniform(4, 14), 1), year=2024,
                source="Source de banc d'essai",
            )
            for t in [*quartiers, *departments, france]
        )  # fmt: skip
        self.professions = professions
        return professions[0]

    def load_hubs(self, hub_count, communes, quartiers):
        save_in_batches(Hub, (self.hub(index, communes, quartiers) for index in range(hub_count)))
        hub_ids = list(Hub.objects.order_by("pk").values_list("pk", flat=True))
        services = list(Service.objects.order_by("pk"))
        through = Hub.services.through
        save_in_batches(
            through,
            (
                through(hub_id=hub_id, service_id=s.pk)
                for hub_id in hub_ids
                for s in random.sample(services, 2)
            ),
        )
        save_in_batches(
            OpeningHours,
            (
                OpeningHours(hub_id=hub_id, weekday=day, opens="08:30", closes="19:00")
                for hub_id in hub_ids
                for day in range(5)
            ),
        )
        return hub_ids

    def hub(self, index, communes, quartiers):
        if index % 10 < 3:  # in a city's grid, placed where the quartier is
            quartier = random.choice(quartiers)
            west, south, east, north = quartier.boundary.extent
            lng, lat, territory = random.uniform(west, east), random.uniform(south, north), quartier
        else:
            (lng, lat), territory = rand_point(), random.choice(communes)
        name = f"Maison de santé {index}"
        return Hub(
            name=name, slug=f"maison-de-sante-{index}", kind=Hub.Kind.MSP, city=territory.name,
            street=f"{index} rue de la Santé", location=Point(lng, lat, srid=4326), territory=territory,
            territory_set_by_hand=True, tiers_payant=index % 2 == 0,
            search_text=normalise(f"{name} {territory.name} medecin generaliste kinesitherapeute kine"),
        )  # fmt: skip

    def load_professionals(self, professional_count, hub_ids, gp):
        this_year = timezone.localdate().year
        for start in range(0, professional_count, BATCH):
            people = Professional.objects.bulk_create(
                Professional(
                    display_name=f"Professionnel {i}", profession=self.professions[i % 4],
                    search_text=f"professionnel {i} {normalise(self.professions[i % 4].name)}",
                    planned_retirement_year=this_year + i % 12 if i % 3 == 0 else None,
                )
                for i in range(start, min(start + BATCH, professional_count))
            )  # fmt: skip
            Membership.objects.bulk_create(
                Membership(professional_id=person.pk, hub_id=hub_id, days_present="0123")
                for index, person in enumerate(people, start=start)
                for hub_id in (random.sample(hub_ids, 2) if index % 10 == 0 else [random.choice(hub_ids)])
            )

    def load_programmes(self, hub_ids, places):
        funders = Funder.objects.bulk_create(
            Funder(name=f"Financeur {i}", slug=f"financeur-{i}", kind=random.choice(Funder.Kind.values))
            for i in range(20)
        )
        today = timezone.localdate()
        for index in range(200):
            programme = SupportProgramme.objects.create(
                name=f"Programme {index}", slug=f"programme-{index}", url=f"https://example.org/programmes/{index}",
                max_amount=random.choice([None, 50_000, 250_000]),
                application_deadline=today.replace(year=today.year + 1) if index % 2 else None,
            )  # fmt: skip
            programme.funders.set(random.sample(funders, 2))
            programme.territories.set(random.sample(places, 3))
            Funding.objects.bulk_create(
                Funding(programme=programme, hub_id=hub_id, amount=20_000, year=2025)
                for hub_id in random.sample(hub_ids, 5)
            )

    def pages(self):
        hubs = list(Hub.objects.order_by("?").values_list("slug", flat=True)[:3])
        quartier = Territory.objects.filter(slug__startswith="quartier-").order_by("?").first()
        commune = Territory.objects.filter(slug__startswith="commune-").order_by("?").first()
        professional = Professional.objects.public().order_by("pk").values_list("pk", flat=True).first()
        html = [
            ("home", "/", {}),
            ("hubs, text", "/hubs/", {"q": "kine quartier"}),
            ("hubs, text ranked, a slip", "/hubs/", {"q": f"kinesiterapeute {commune.name}"}),
            ("hubs, near", "/hubs/", {"lat": "48.11", "lng": "-1.68", "radius_km": "20", "sort": "distance"}),
            ("hubs, filters", "/hubs/", {"service": "gp", "tiers_payant": "on", "open_now": "on"}),
            ("hubs, page 50", "/hubs/", {"page": "50"}),
            ("hub page", f"/hubs/{hubs[0]}/", {}),
            ("compare 3 hubs", "/hubs/compare/", {"hub": hubs}),
            ("professionals", "/professionals/", {}),
            ("professionals, text", "/professionals/", {"q": "kinesitherapeute"}),
            ("professionals, ranked, a slip", "/professionals/", {"q": "kinesiterapeute professionnel 4242"}),
            ("professionals, page 50", "/professionals/", {"page": "50"}),
            ("a professional", f"/professionals/{professional}/", {}),
            ("districts", "/districts/", {}),
            ("a quartier", quartier.get_absolute_url(), {}),
            ("a commune", commune.get_absolute_url(), {}),
            ("the country", "/districts/france/", {}),
            ("compare districts", "/districts/compare/", {"territory": [quartier.slug, commune.slug]}),
            ("programmes", "/programmes/", {}),
            ("a programme", "/programmes/programme-7/", {}),
            ("matcher", "/programmes/", {"for_territory": commune.slug}),
            ("programmes export.csv", "/programmes/export.csv", {}),
            ("open data page", "/donnees/", {}),
        ]  # fmt: skip
        far_cursor = base64.b64encode(
            f"p={Hub.objects.order_by('-pk').values_list('pk', flat=True)[100]}".encode()
        )
        data = [
            ("api hubs", "/api/v1/hubs/", {}),
            ("api hubs, text", "/api/v1/hubs/", {"q": "kine quartier"}),
            ("api hubs, near", "/api/v1/hubs/", {"lat": "48.11", "lng": "-1.68", "radius_km": "20"}),
            ("api hubs, modified_since", "/api/v1/hubs/", {"modified_since": "2020-01-01T00:00:00Z"}),
            ("api hubs, a far page", "/api/v1/hubs/", {"cursor": far_cursor.decode()}),
            ("api hubs.geojson", "/api/v1/hubs.geojson", {}),
            ("api hubs.csv", "/api/v1/hubs.csv", {}),
            ("api a hub", f"/api/v1/hubs/{hubs[0]}/", {}),
            ("api professionals", "/api/v1/professionals/", {}),
            ("api territories", "/api/v1/territories/", {"level": "DISTRICT"}),
            ("api territories.geojson", "/api/v1/territories.geojson", {"level": "DISTRICT"}),
            ("api programmes", "/api/v1/programmes/", {}),
            ("fhir Organization", "/fhir/Organization", {}),
            ("fhir Location, near", "/fhir/Location", {"near": "48.11|-1.68|5|km"}),
            ("fhir PractitionerRole", "/fhir/PractitionerRole", {}),
            ("atom, programmes", "/programmes/feed.atom", {}),
            ("atom, hub changes, country", "/districts/france/changes.atom", {}),
            ("ical, deadlines", "/programmes/deadlines.ics", {}),
        ]  # fmt: skip
        maps = [
            ("map, national", "/hubs/map.geojson", {"zoom": "5"}),
            ("map, regional", "/hubs/map.geojson", {"zoom": "8", "bbox": "-2.5,47.0,0.5,49.0"}),
            ("map, city", "/hubs/map.geojson", {"zoom": "13", "bbox": "-3.52,43.49,-3.38,43.61"}),
        ]
        if PopulationCell.objects.exists():
            covered = Territory.objects.filter(
                access__computed_at__isnull=False, parent__slug="ville-0"
            ).first()
            centre = covered.boundary.centroid
            html.append(("a quartier, access figures", covered.get_absolute_url(), {}))
            maps.append(("map, a quartier's cells", f"/districts/{covered.slug}/carreaux.geojson", {}))
            what_if = {"lat": f"{centre.y:.5f}", "lng": f"{centre.x:.5f}", "gps": "3"}
        return [
            *(
                [("what if, a city", "/acces/", what_if, WHAT_IF_TARGET)]
                if PopulationCell.objects.exists()
                else []
            ),
            *[(label, url, params, HTML_TARGET) for label, url, params in html],
            *[(label, url, params, MAP_TARGET) for label, url, params in maps],
            *[(label, url, params, DATA_TARGET) for label, url, params in data],
        ]

    def report(self, requests):
        client = Client()
        header = (
            "| page | median ms | p95 ms | queries | bytes | gzip | target |\n|---|---|---|---|---|---|---|"
        )
        self.stdout.write(header)
        missed = 0
        for label, url, params, (max_ms, max_queries, max_bytes) in self.pages():
            client.get(url, params, HTTP_HOST="127.0.0.1")  # warm caches and connections
            timings = []
            for _ in range(requests):
                if max_bytes == MAP_TARGET[2]:
                    forget_maps()  # time the map answers as computed, not as read back from the cache
                queries = QueryCounter()
                with connection.execute_wrapper(queries):
                    start = time.perf_counter()
                    response = client.get(url, params, HTTP_HOST="127.0.0.1")
                    timings.append((time.perf_counter() - start) * 1000)
            median, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[18]
            size = len(response.content)
            compressed = client.get(url, params, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
            gzip_size = len(compressed.content) if compressed.get("Content-Encoding") == "gzip" else None
            measured_bytes = gzip_size if max_bytes == MAP_TARGET[2] and gzip_size else size
            ok = (
                response.status_code == 200
                and median <= max_ms
                and queries.count <= max_queries
                and measured_bytes <= max_bytes
            )
            missed += not ok
            verdict = (
                "ok" if ok else f"MISSED{'' if response.status_code == 200 else f' ({response.status_code})'}"
            )
            self.stdout.write(
                f"| {label} | {median:.1f} | {p95:.1f} | {queries.count} | {size:,} | "
                f"{f'{gzip_size:,}' if gzip_size else '-'} | {verdict} |"
            )
        self.stdout.write(
            f"\nTargets: HTML ≤ {HTML_TARGET[0]} ms median, ≤ {HTML_TARGET[1]} queries, ≤ {HTML_TARGET[2] // 1000} KB; "
            f"map data ≤ {MAP_TARGET[0]} ms, ≤ {MAP_TARGET[2] // 1000} KB gzip; open data ≤ {DATA_TARGET[0]} ms, "
            f"≤ {DATA_TARGET[1]} queries, ≤ {DATA_TARGET[2] // 1000} KB. {missed} missed."
        )
