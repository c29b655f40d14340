"""National-scale benchmark: synthetic hubs over France, server time per page, printed as a table.

Run it with `make bench` (a throwaway PostGIS). It refuses a database that already holds hubs,
so it can never touch real data.
"""

import random
import statistics
import time

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.text import normalise
from districts.models import Territory
from hubs.models import Hub, OpeningHours, Service
from professionals.models import Membership, Profession, Professional

WEST, SOUTH, EAST, NORTH = -4.5, 42.5, 7.5, 51.0
GRID_COLUMNS, GRID_ROWS = 20, 15  # 300 districts
TARGETS = {  # median server time in ms, response bytes
    "list, text filter": (60, None),
    "list, near + distance sort": (60, None),
    "hub page": (40, None),
    "compare (3 hubs)": (None, None),
    "map.geojson, whole country": (300, 1_500_000),
    "map.geojson, city bbox": (None, None),
}


class Command(BaseCommand):
    help = "Load 10,000 synthetic hubs over France and time the resident pages."

    def add_arguments(self, parser):
        parser.add_argument("--hubs", type=int, default=10_000)
        parser.add_argument("--professionals", type=int, default=60_000)
        parser.add_argument("--requests", type=int, default=30)

    def handle(self, *args, **options):
        if Hub.objects.exists():
            raise CommandError("This database already has hubs: the benchmark only runs on an empty one.")
        random.seed(42)
        started = time.perf_counter()
        self.load(options["hubs"], options["professionals"])
        self.stdout.write(f"Loaded {options['hubs']} hubs in {time.perf_counter() - started:.1f} s")
        self.report(options["requests"])

    @transaction.atomic
    def load(self, hub_count, professional_count):
        france = Territory.objects.create(
            name="France", slug="france", level=Territory.Level.COUNTRY, code="FR"
        )
        width, height = (EAST - WEST) / GRID_COLUMNS, (NORTH - SOUTH) / GRID_ROWS
        districts = []
        for row in range(GRID_ROWS):
            for column in range(GRID_COLUMNS):
                west, south = WEST + column * width, SOUTH + row * height
                box = Polygon.from_bbox((west, south, west + width, south + height))
                districts.append(
                    Territory(
                        name=f"Secteur {row}-{column}",
                        slug=f"secteur-{row}-{column}",
                        level=Territory.Level.DISTRICT,
                        parent=france,
                        boundary=MultiPolygon(box, srid=4326),
                        population=random.randint(5_000, 60_000),
                    )
                )
        Territory.objects.bulk_create(districts)
        districts = list(Territory.objects.districts().order_by("pk"))
        professions = [
            Profession.objects.create(code=code, name=name, counts_as_gp=code == "gp", synonyms=synonyms)
            for code, name, synonyms in [
                ("gp", "Médecin généraliste", "generaliste"),
                ("physio", "Masseur-kinésithérapeute", "kine"),
                ("nurse", "Infirmier", "infirmiere"),
                ("midwife", "Sage-femme", "sage femme"),
            ]
        ]
        services = [
            Service.objects.create(name=p.name, slug=p.code, category=Service.Category.CARE, profession=p)
            for p in professions
        ]
        hubs = []
        for index in range(hub_count):
            lng, lat = random.uniform(WEST, EAST - 1e-6), random.uniform(SOUTH, NORTH - 1e-6)
            district = districts[
                int((lat - SOUTH) / height) * GRID_COLUMNS + int((lng - WEST) / width)
            ]  # the grid cell that holds the point, as Hub.save() would find
            name = f"Maison de santé {index}"
            hubs.append(
                Hub(
                    name=name,
                    slug=f"maison-de-sante-{index}",
                    kind=Hub.Kind.MSP,
                    city=district.name,
                    street=f"{index} rue de la Santé",
                    location=Point(lng, lat, srid=4326),
                    territory=district,
                    tiers_payant=index % 2 == 0,
                    search_text=normalise(
                        f"{name} {district.name} medecin generaliste kinesitherapeute kine"
                    ),
                )
            )
        Hub.objects.bulk_create(hubs, batch_size=2000)
        hub_ids = list(Hub.objects.values_list("pk", flat=True))
        Through = Hub.services.through
        Through.objects.bulk_create(
            [
                Through(hub_id=hub_id, service_id=s.pk)
                for hub_id in hub_ids
                for s in random.sample(services, 2)
            ],
            batch_size=5000,
        )
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(hub_id=hub_id, weekday=day, opens="08:30", closes="19:00")
                for hub_id in hub_ids
                for day in range(5)
            ],
            batch_size=5000,
        )
        people = Professional.objects.bulk_create(
            [
                Professional(
                    display_name=f"Professionnel {i}",
                    profession=professions[i % 4],
                    search_text=f"professionnel {i}",
                )
                for i in range(professional_count)
            ],
            batch_size=5000,
        )
        Membership.objects.bulk_create(
            [
                Membership(professional_id=p.pk, hub_id=random.choice(hub_ids), days_present="0123")
                for p in people
            ],
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics for the fresh tables

    def report(self, requests):
        client = Client()
        slugs = list(Hub.objects.order_by("?").values_list("slug", flat=True)[:3])
        pages = [
            ("list, text filter", "/hubs/", {"q": "kine secteur 7"}),
            ("list, near + distance sort", "/hubs/", {"lat": "48.11", "lng": "-1.68", "radius_km": "20", "sort": "distance"}),
            ("hub page", f"/hubs/{slugs[0]}/", {}),
            ("compare (3 hubs)", "/hubs/compare/", {"hub": slugs}),
            ("map.geojson, whole country", "/hubs/map.geojson", {}),
            ("map.geojson, city bbox", "/hubs/map.geojson", {"bbox": "-1.80,48.05,-1.55,48.17"}),
        ]  # fmt: skip
        header = (
            f"{'page':<30} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'bytes':>10} {'gzip':>9}  target"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, url, params in pages:
            client.get(url, params)  # warm caches and connections
            timings = []
            for _ in range(requests):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url, params, HTTP_HOST="127.0.0.1")
                    timings.append((time.perf_counter() - start) * 1000)
                query_count = len(queries.captured_queries)
                assert response.status_code == 200, (url, response.status_code)
            median = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[18]
            size = len(response.content)
            compressed = client.get(url, params, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
            gzip_size = len(compressed.content) if compressed.get("Content-Encoding") == "gzip" else None
            max_ms, max_bytes = TARGETS[label]
            verdicts = []
            if max_ms:
                verdicts.append(f"≤ {max_ms} ms {'ok' if median <= max_ms else 'MISSED'}")
            if max_bytes:
                verdicts.append(f"≤ {max_bytes / 1e6:.1f} MB {'ok' if size <= max_bytes else 'MISSED'}")
            self.stdout.write(
                f"{label:<30} {median:>10.1f} {p95:>8.1f} {query_count:>8} {size:>10} {gzip_size or '-':>9}  "
                f"{', '.join(verdicts)}"
            )
