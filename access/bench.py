"""The access analysis at national scale, for `manage.py bench --cells N` (portal/management/commands/bench.py).

A synthetic population grid: N populated 200 m cells, a third packed around the bench's ten cities (whose
quartiers the grid then covers entirely), the rest spread over France; department 0 gets a boundary around
city 0 so that a department's recomputation can be timed.
"""

import datetime
import random
import time
import tracemalloc

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from access.compute import compute_access
from config import geo
from districts.grid import PopulationCell, TerritoryAccess
from districts.models import CompleteDirectory, Territory
from professionals.models import Profession

# France in ETRS89-LAEA (EPSG:3035), metres: where the spread cells go.
EAST_RANGE, NORTH_RANGE = (3_300_000, 4_200_000), (2_200_000, 3_100_000)
CITY_SHARE = 1 / 3
# Half the side of the square around each city where its cells go: 60 km squares hold 90,000 cells each, so a
# third of a million cells fill them to a third and random draws rarely repeat.
CITY_RADIUS = 30_000
BATCH = 5000


def cell_codes(count: int, cities: list[tuple[float, float]]):
    """Unique (east, north) lower-left corners, on the 200 m grid."""
    seen = set()
    near_cities = int(count * CITY_SHARE)
    capacity = len(cities) * (2 * CITY_RADIUS // 200) ** 2
    if near_cities > capacity // 2:
        raise ValueError(
            f"{near_cities:,} cells cannot fill the cities' squares ({capacity:,} cells) sparsely"
        )
    while len(seen) < count:
        if len(seen) < near_cities:
            east, north = random.choice(cities)
            east += random.uniform(-CITY_RADIUS, CITY_RADIUS)
            north += random.uniform(-CITY_RADIUS, CITY_RADIUS)
        else:
            east, north = random.uniform(*EAST_RANGE), random.uniform(*NORTH_RANGE)
        corner = (int(east // 200 * 200), int(north // 200 * 200))
        if corner not in seen:
            seen.add(corner)
            yield corner


def load_cells(count: int) -> float:
    """N cells in batches; city 0's quartiers and department 0 (given a boundary around city 0) covered.
    Returns the seconds it took."""
    started = time.perf_counter()
    to_laea = CoordTransform(SpatialReference(geo.WGS84), SpatialReference(3035))
    to_wgs84 = CoordTransform(SpatialReference(3035), SpatialReference(geo.WGS84))
    cities = []
    for city in Territory.objects.filter(slug__startswith="ville-").order_by("pk"):
        centre = Territory.objects.filter(parent=city).exclude(boundary=None).first().boundary.centroid
        centre.transform(to_laea)
        cities.append((centre.x, centre.y))
    batch = []
    for east, north in cell_codes(count, cities):
        centre = Point(east + 100, north + 100, srid=3035)
        centre.transform(to_wgs84)
        batch.append(
            PopulationCell(
                code=f"CRS3035RES200mN{north}E{east}",
                east=east,
                north=north,
                location=centre,
                population=random.choice([4, 8, 15, 30, 60, 120, 250]),
                year=2019,
            )  # fmt: skip
        )
        if len(batch) == BATCH:
            PopulationCell.objects.bulk_create(batch)
            batch = []
    PopulationCell.objects.bulk_create(batch)
    city_zero = Territory.objects.get(slug="ville-0")
    west, south, east, north = (
        Territory.objects.filter(parent=city_zero).exclude(boundary=None)[0].boundary.extent
    )
    box = Polygon.from_bbox((west - 0.5, south - 0.4, west + 0.5, south + 0.4))
    box.srid = geo.WGS84
    Territory.objects.filter(pk=city_zero.parent_id).update(boundary=MultiPolygon(box, srid=geo.WGS84))
    covered = Territory.objects.filter(parent=city_zero).exclude(boundary=None)
    TerritoryAccess.objects.bulk_create(
        TerritoryAccess(territory=t, grid_year=2019, grid_source="carroyage de banc d'essai")
        for t in [*covered, Territory.objects.get(pk=city_zero.parent_id)]
    )
    # Declared complete for GPs, so that the timed pages show the access figures (shown only where it is).
    CompleteDirectory.objects.create(
        territory=city_zero, profession=Profession.objects.filter(counts_as_gp=True).first(),
        source="banc d'essai", as_of=datetime.date.today(),
    )  # fmt: skip
    return time.perf_counter() - started


def time_department() -> tuple[int, float, float]:
    """Cells, seconds and Python peak MB of one department's full recomputation (it also computes the
    figures of city 0's quartiers, which the timed pages then read). Timed first, then run again under
    tracemalloc for the peak: tracing every allocation makes this loop-heavy work six times slower."""
    department = Territory.objects.get(slug="departement-0")
    started = time.perf_counter()
    counts = compute_access(territory=department)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    compute_access(territory=department)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return counts["cells"], seconds, peak / 1e6
