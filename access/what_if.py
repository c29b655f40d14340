"""What a new centre with N GPs at a point would change, and where in a territory one would reach the most people.

Read from the stored cells (compute.py): only the cells within reach of the point are loaded, so the answer
costs the same in a village and in a national directory. Adding a site leaves the other sites' step-1 ratios
as they are (in 2SFCA a site's ratio depends on its population, not on its neighbours), so the new score of a
cell is its stored score plus the new site's share: exact, without recomputing the area.

What it changes (residents brought nearer a GP, the score) rests on the GPs the directory knows: it is given only
where the directory is known to list them all (districts.stats.complete_for_gps). Elsewhere the answer is what the
grid alone says: the residents around the point.
"""

from collections import defaultdict
from dataclasses import dataclass

from access.compute import CATCHMENT, PER_10K, metres, weight
from config import geo
from districts.grid import BANDS, PopulationCell, TerritoryAccess
from districts.models import CompleteDirectory, Territory, level_rank
from districts.stats import complete_for_gps

RANKED_SITES = 5
COVERAGE_METRES = 1000  # the ranking's aim: residents brought within 1 km of a GP
MAX_CANDIDATES = (
    5000  # past this many cells in a territory, every other cell is a candidate site (400 m apart)
)


@dataclass
class Answer:
    lat: float
    lng: float
    gps: int
    territory: Territory | None
    within: dict  # band (metres) -> residents within it of the point
    # Who established that the directory lists every GP there; without it, nothing below is computed.
    complete: CompleteDirectory | None = None
    newly_within: dict | None = None  # band -> residents brought within it who were farther from a GP before
    population: float | None = None
    score_before: float | None = None
    score_after: float | None = None

    def as_dict(self) -> dict:
        return {
            "lat": self.lat,
            "lng": self.lng,
            "gps": self.gps,
            "territory": self.territory.slug if self.territory else None,
            "within": {str(band): round(people) for band, people in self.within.items()},
            "directory_complete_according_to": self.complete.source if self.complete else None,
            "newly_within": (
                {str(band): round(people) for band, people in self.newly_within.items()}
                if self.newly_within is not None
                else None
            ),
            "territory_population": round(self.population) if self.population is not None else None,
            "score_before": round(self.score_before, 2) if self.score_before is not None else None,
            "score_after": round(self.score_after, 2) if self.score_after is not None else None,
        }


def covered_territory_at(point) -> Territory | None:
    """The smallest territory the grid covers entirely that holds the point."""
    return (
        Territory.objects.covering(point)
        .filter(access__computed_at__isnull=False)
        .defer("boundary")
        .order_by(level_rank(), "pk")
        .first()
    )


def answer(*, lat: float, lng: float, gps: int, territory: Territory | None = None) -> Answer:
    point = geo.point(lat=lat, lng=lng)
    territory = territory or covered_territory_at(point)
    cells = list(
        PopulationCell.objects.filter(location__within=geo.bbox_around(point, CATCHMENT / 1000)).values_list(
            "location", "population", "gp_metres", "score", "territory_id"
        )
    )
    reach = [(metres(lat, lng, loc.y, loc.x), people, gp, score, t) for loc, people, gp, score, t in cells]
    within = {band: sum(p for d, p, *_ in reach if d <= band) for band in BANDS}
    found = Answer(lat=lat, lng=lng, gps=gps, territory=territory, within=within)
    found.complete = complete_for_gps(territory) if territory else None
    if found.complete is None:
        return found
    found.newly_within = {
        band: sum(p for d, p, gp, _s, _t in reach if d <= band and (gp is None or gp > band))
        for band in BANDS
    }
    access = TerritoryAccess.objects.filter(territory=territory).first()
    if access is None or not access.population or access.score is None:
        return found
    demand = sum(people * weight(d) for d, people, *_ in reach)
    ratio = gps / demand if demand else 0.0
    boundary = territory_boundary(territory)
    gain = sum(
        people * PER_10K * ratio * weight(metres(lat, lng, loc.y, loc.x))
        for loc, people, *_ in cells
        if boundary.contains(loc)
    )
    found.population = access.population
    found.score_before = access.score
    found.score_after = access.score + gain / access.population
    return found


def territory_boundary(territory):
    return Territory.objects.only("boundary").get(pk=territory.pk).boundary


def best_sites(territory: Territory, *, gps: int, complete: bool | None = None) -> list[dict]:
    """Greedy maximal coverage: the cell centre bringing the most residents within 1 km of a GP, then the next
    given the first, and so on. Cells compared in metres on INSEE's grid (EPSG:3035, equal-area).

    Where the directory is not known to list every GP (`complete` false), the GPs it knows are left out: the sites
    are those with the most residents within 1 km ("within_1000", not "newly_within_1000")."""
    if complete is None:
        complete = complete_for_gps(territory) is not None
    key = "newly_within_1000" if complete else "within_1000"
    cells = list(
        PopulationCell.objects.filter(location__within=territory_boundary(territory)).values_list(
            "pk", "east", "north", "population", "gp_metres", "location"
        )
    )
    uncovered = {
        pk: people
        for pk, _e, _n, people, gp, _l in cells
        if not complete or gp is None or gp > COVERAGE_METRES
    }
    squares = defaultdict(list)
    for pk, east, north, *_ in cells:
        squares[(east // COVERAGE_METRES, north // COVERAGE_METRES)].append((pk, east, north))
    step = 2 if len(cells) > MAX_CANDIDATES else 1
    candidates = [c for c in cells if step == 1 or (c[1] // 200 + c[2] // 200) % 2 == 0]
    reached = {}
    for pk, east, north, *_ in candidates:
        row, col = east // COVERAGE_METRES, north // COVERAGE_METRES
        reached[pk] = [
            other
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            for other, e, n in squares.get((row + dr, col + dc), ())
            if (e - east) ** 2 + (n - north) ** 2 <= COVERAGE_METRES**2 and other in uncovered
        ]
    where = {pk: location for pk, *_rest, location in cells}
    picks = []
    for _ in range(RANKED_SITES):
        best = max(reached, key=lambda pk: (sum(uncovered.get(o, 0) for o in reached[pk]), -pk), default=None)
        if best is None:
            break
        people = sum(uncovered.get(o, 0) for o in reached[best])
        if people <= 0:
            break
        location = where[best]
        picks.append({"lat": round(location.y, 5), "lng": round(location.x, 5), key: round(people)})
        for other in reached.pop(best):
            uncovered.pop(other, None)
    return picks
