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
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from config import geo
from config.choices import Availability
from districts.grid import BANDS, PopulationCell, TerritoryAccess
from hubs.models import Hub
from professionals.models import Membership

EARTH_METRES = 6_371_008.8
# Straight-line stand-ins for the DREES's travel-time bands (0–10, 10–15, 15–20 minutes: weights 1, 2/3, 1/3):
# within a city 2, 4 and 6 km take about that long by car or public transport.
DECAY = ((2000, 1.0), (4000, 2 / 3), (6000, 1 / 3))
CATCHMENT = DECAY[-1][0]
NEAREST_WITHIN = 20_000  # beyond, "more than 20 km" (stored as null)
# Around an area, in degrees (longitude at 51°N): the cells 12 km out (the demand of the hubs within reach of its
# cells), the hubs 20 km out (a cell's nearest may be that far).
CELL_MARGIN = (0.11, 0.17)
SITE_MARGIN = (0.19, 0.29)
BUCKET_DEGREES = 0.1  # hubs indexed in squares of 0.1°: at least 7 km wide in France, more than a catchment
PER_10K = 10_000


def metres(a_lat: float, a_lng: float, b_lat: float, b_lng: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi, dlambda = phi2 - phi1, math.radians(b_lng - a_lng)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_METRES * math.asin(min(1.0, math.sqrt(h)))


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
    """Points bucketed by 0.1° squares: the neighbours of a point are in its square and the eight around it."""

    def __init__(self, items):
        self.buckets = defaultdict(list)
        for item in items:
            self.buckets[self.key(item.lat, item.lng)].append(item)

    @staticmethod
    def key(lat, lng):
        return (math.floor(lat / BUCKET_DEGREES), math.floor(lng / BUCKET_DEGREES))

    def around(self, lat, lng, rings=1):
        row, col = self.key(lat, lng)
        for dr in range(-rings, rings + 1):
            for dc in range(-rings, rings + 1):
                yield from self.buckets.get((row + dr, col + dc), ())


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


# Every site within this distance is in the 3×3 squares around a cell: 0.1° of longitude is 6.99 km at 51.1°N,
# the north of France.
SURELY_IN_RING = 6_600


def nearest(cell, index) -> int | None:
    best = None
    for rings in (1, 3):  # the 3×3 squares, then 7×7 (all within 21 km) for rural cells
        for site in index.around(cell.lat, cell.lng, rings):
            d = metres(cell.lat, cell.lng, site.lat, site.lng)
            if best is None or d < best:
                best = d
        if best is not None and best <= SURELY_IN_RING:
            break
    return round(best) if best is not None and best <= NEAREST_WITHIN else None


def two_step(cells: list[Cell], sites: list[Site]) -> None:
    """2SFCA: step 1 gives each site GPs per weighted inhabitant within reach; step 2 adds them up per cell."""
    cell_index = Index(cells)
    for site in sites:
        demand = sum(
            c.population * weight(metres(c.lat, c.lng, site.lat, site.lng))
            for c in cell_index.around(site.lat, site.lng)
        )
        site.ratio = site.gps / demand if demand else 0.0
    site_index = Index(sites)
    for c in cells:
        c.score = PER_10K * sum(
            s.ratio * weight(metres(c.lat, c.lng, s.lat, s.lng)) for s in site_index.around(c.lat, c.lng)
        )


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
    PopulationCell.objects.bulk_update(
        [PopulationCell(pk=c.pk, gp_metres=c.gp_metres, accepting_metres=c.accepting_metres, score=c.score)
         for c in updated],
        ["gp_metres", "accepting_metres", "score"],
        batch_size=2000,
    )  # fmt: skip
    figures = summarise(territory)
    return {"cells": len(updated), "hubs": len(sites), "territories": figures}


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
