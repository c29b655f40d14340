"""Access to GPs on the population grid, computed in one batch and stored (pages only read the results).

For each populated cell: the straight-line distance ("à vol d'oiseau") to the nearest hub where a GP practises,
and to the nearest one accepting new patients; and a two-step floating catchment area score (2SFCA, the method
behind the DREES's APL): each hub's GPs are shared among the population within 6 km of it, weighted by distance
band, then each cell adds up the shares of the hubs within 6 km of it, with the same weights. The score reads as
"GPs per 10,000 inhabitants within reach". Distances are great-circle distances between points, not routes.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from config import geo
from config.choices import Availability
from districts.grid import BANDS, PopulationCell, TerritoryAccess
from hubs.models import Hub
from professionals.models import Membership

EARTH_METRES = 6_371_008.8
METRES_PER_DEGREE = EARTH_METRES * math.pi / 180
# Straight-line stand-ins for the DREES's travel-time bands (0–10, 10–15, 15–20 minutes: weights 1, 2/3, 1/3):
# within a city 2, 4 and 6 km take about that long by car or public transport.
DECAY = ((2000, 1.0), (4000, 2 / 3), (6000, 1 / 3))
CATCHMENT = DECAY[-1][0]
NEAREST_WITHIN = 20_000  # beyond, "more than 20 km" (stored as null)
# Around an area, in degrees (longitude at 51°N): the cells 12 km out (the demand of the hubs within reach of its
# cells), the hubs 20 km out (a cell's nearest may be that far).
CELL_MARGIN = (0.11, 0.17)
SITE_MARGIN = (0.19, 0.29)
BUCKET_DEGREES = 0.01  # points indexed in squares of about 1 km
NEAREST_STEPS = (3000, 8000, NEAREST_WITHIN)  # widening searches: most cells find a GP within the first
PER_10K = 10_000
STORE_BATCH = 2000  # cells per UPDATE: 8,000 parameters, under SQLite's limit of 32,766


def metres(a_lat: float, a_lng: float, b_lat: float, b_lng: float) -> float:
    """The distance between two points, on the sphere flattened at their mean latitude (equirectangular): within
    20 km it differs from the great-circle distance by less than 0.01 %, and it is exact along a meridian."""
    squeeze = math.cos(math.radians((a_lat + b_lat) / 2))
    return METRES_PER_DEGREE * math.hypot(b_lat - a_lat, (b_lng - a_lng) * squeeze)


def weight(distance: float) -> float:
    return next((w for limit, w in DECAY if distance <= limit), 0.0)


@dataclass
class Site:
    lat: float
    lng: float
    gps: float  # full-time equivalents where days are known, else one per GP
    accepting: bool
    ratio: float = 0.0  # step 1: GPs per inhabitant of its catchment


class Index:
    """Points bucketed by squares of 0.01° (about 1 km): what lies within a radius is in the few squares its
    bounding box touches, so a dense city and an empty countryside cost about the same."""

    def __init__(self, items):
        self.buckets = defaultdict(list)
        for item in items:
            self.buckets[
                (math.floor(item.lat / BUCKET_DEGREES), math.floor(item.lng / BUCKET_DEGREES))
            ].append(item)

    def within(self, lat: float, lng: float, radius: float):
        """The points of the squares the radius's bounding box touches (a few more than the circle holds)."""
        rows = math.ceil(radius / (BUCKET_DEGREES * METRES_PER_DEGREE))
        cols = math.ceil(
            radius / (BUCKET_DEGREES * METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
        )
        row, col = math.floor(lat / BUCKET_DEGREES), math.floor(lng / BUCKET_DEGREES)
        buckets = self.buckets
        for r in range(row - rows, row + rows + 1):
            for c in range(col - cols, col + cols + 1):
                found = buckets.get((r, c))
                if found:
                    yield from found


@dataclass
class Cell:
    pk: int
    lat: float
    lng: float
    population: float
    gp_metres: int | None = None
    accepting_metres: int | None = None
    score: float = 0.0


def gp_sites(bbox=None) -> list[Site]:
    """Published, open hubs where at least one active GP practises, with their GPs as full-time equivalents."""
    gp = Q(memberships__professional__active=True, memberships__professional__profession__counts_as_gp=True)
    hubs = Hub.objects.published().filter(status=Hub.Status.OPEN, location__isnull=False)
    if bbox is not None:
        hubs = hubs.filter(location__within=bbox)
    hubs = hubs.annotate(gp_count=Count("memberships", filter=gp)).filter(gp_count__gt=0)
    days = defaultdict(float)
    for hub_id, present in (
        Membership.objects.filter(hub__in=hubs)
        .filter(professional__active=True, professional__profession__counts_as_gp=True)
        .values_list("hub_id", "days_present")
    ):
        days[hub_id] += min(len(present) / 5, 1.0) if present else 1.0  # 5 days a week: one full-time GP
    return [
        Site(
            lat=hub.location.y,
            lng=hub.location.x,
            gps=days[hub.pk],
            accepting=hub.accepting_new_patients == Availability.YES,
        )
        for hub in hubs.only("location", "accepting_new_patients")
    ]


def nearest(cell, index: Index) -> int | None:
    """The distance to the nearest site, searched within 3 km, then 8 km, then 20 km."""
    for radius in NEAREST_STEPS:
        best = min(
            (metres(cell.lat, cell.lng, s.lat, s.lng) for s in index.within(cell.lat, cell.lng, radius)),
            default=None,
        )
        if best is not None and best <= radius:
            return round(best)
    return None


def two_step(cells: list[Cell], sites: list[Site]) -> None:
    """2SFCA: step 1 gives each site GPs per weighted inhabitant within reach; step 2 shares them out again over
    the same cells. Both steps walk each site's cells: the pairs are never all held at once."""
    index = Index(cells)
    for c in cells:
        c.score = 0.0
    for site in sites:
        demand = sum(
            c.population * weight(metres(c.lat, c.lng, site.lat, site.lng))
            for c in index.within(site.lat, site.lng, CATCHMENT)
        )
        site.ratio = site.gps / demand if demand else 0.0
    for site in sites:
        if site.ratio:
            for c in index.within(site.lat, site.lng, CATCHMENT):
                c.score += PER_10K * site.ratio * weight(metres(c.lat, c.lng, site.lat, site.lng))


def load_cells(queryset) -> list[Cell]:
    return [
        Cell(pk=pk, lat=location.y, lng=location.x, population=population)
        for pk, location, population in queryset.values_list("pk", "location", "population").iterator(2000)
    ]


def around(extent, margin) -> Polygon:
    (west, south, east, north), (lat, lng) = extent, margin
    box = Polygon.from_bbox((west - lng, south - lat, east + lng, north + lat))
    box.srid = geo.WGS84
    return box


def compute_access(*, territory=None) -> dict:
    """Recompute the cells (of one territory, or all) and the figures of the territories the grid covers.

    Near the edge, demand counts the cells beyond it and the nearest hub may lie outside: see the margins."""
    cells = PopulationCell.objects.all()
    cell_area = site_area = None
    if territory is not None:
        cells = cells.filter(location__within=territory.boundary)
        cell_area = around(territory.boundary.extent, CELL_MARGIN)
        site_area = around(territory.boundary.extent, SITE_MARGIN)
    updated = load_cells(cells)
    context = load_cells(PopulationCell.objects.filter(location__within=cell_area)) if cell_area else updated
    sites = gp_sites(site_area)
    index = Index(sites)
    accepting_index = Index([s for s in sites if s.accepting])
    two_step(context, sites)
    scores = {c.pk: c.score for c in context}
    for c in updated:
        c.gp_metres = nearest(c, index)
        c.accepting_metres = nearest(c, accepting_index)
        c.score = scores[c.pk]
    store(updated)
    figures = summarise(territory)
    return {"cells": len(updated), "hubs": len(sites), "territories": figures}


def store(cells: list[Cell]) -> None:
    """Write the cells' figures, one UPDATE … FROM (VALUES …) per batch (PostgreSQL, and SQLite since 3.33).

    Not bulk_update: its CASE WHEN id = … THEN … per column makes each row's update scan the whole batch; for a
    department's 33,000 cells it took 32 of the recomputation's 63 s, this takes 2.4 s (bench, PostGIS)."""
    table = connection.ops.quote_name(PopulationCell._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(cells), STORE_BATCH):
            batch = cells[start : start + STORE_BATCH]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                # CASTs: a column of NULLs alone would otherwise be text to PostgreSQL.
                f"UPDATE {table} SET gp_metres = CAST(v.column2 AS integer), "
                f"accepting_metres = CAST(v.column3 AS integer), score = CAST(v.column4 AS double precision) "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = CAST(v.column1 AS bigint)",
                [value for c in batch for value in (c.pk, c.gp_metres, c.accepting_metres, c.score)],
            )


def summarise(territory=None) -> int:
    """Each covered territory's figures, summed in the database over the cells inside its boundary."""
    covered = TerritoryAccess.objects.select_related("territory")
    if territory is not None:
        covered = covered.filter(territory__boundary__intersects=territory.boundary)
    now = timezone.now()
    for access in covered:
        inside = PopulationCell.objects.filter(location__within=access.territory.boundary)
        # Named apart from the fields: an aggregate may not take a field's name it also sums.
        sums = {"sum_population": Sum("population"), "weighted": Sum(F("score") * F("population"))}
        for metres_ in BANDS:
            sums[f"sum_gp_{metres_}"] = Sum("population", filter=Q(gp_metres__lte=metres_), default=0.0)
            sums[f"sum_accepting_{metres_}"] = Sum(
                "population", filter=Q(accepting_metres__lte=metres_), default=0.0
            )
        found = inside.aggregate(**sums)
        weighted = found.pop("weighted")
        for name, value in found.items():
            setattr(access, name.removeprefix("sum_"), value)
        access.score = weighted / access.population if access.population and weighted is not None else None
        access.computed_at = now
        access.save()
    return len(covered)
