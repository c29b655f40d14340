"""Densities for territory pages: official figures as published, and figures computed from the directory.

Computed figures are never stored: active professionals practising in the published hubs of a territory
(and of every territory under it) ÷ population × 10,000. Everything here costs a fixed number of queries,
whatever the number of territories.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from districts.models import DensityFigure, Territory
from hubs.models import Hub
from professionals.models import Membership, Profession, Professional

RETIREMENT_HORIZON_YEARS = 5
MIN_GPS_FOR_RETIREMENT_OUTLOOK = 3  # below this, a retirement could point at one person


def per_10k(count: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(count / population * 10_000, 1)


def newest_first(figures):
    # A figure whose source gives no year sorts after dated ones.
    return sorted(figures, key=lambda f: (f.year is None, -(f.year or 0), f.source))


def official_figures(territory_ids, *, gp_only: bool = False) -> dict[int, list[DensityFigure]]:
    """Official figures per territory, newest first; a figure per source and year, all shown."""
    figures = DensityFigure.objects.filter(territory_id__in=list(territory_ids)).select_related("profession")
    if gp_only:
        figures = figures.filter(profession__counts_as_gp=True)
    by_territory = defaultdict(list)
    for figure in figures:
        by_territory[figure.territory_id].append(figure)
    return {tid: newest_first(items) for tid, items in by_territory.items()}


def _ancestor_ids() -> dict[int, list[int]]:
    """territory id -> its id and its parents' ids, from one query over the whole tree."""
    parents = dict(Territory.objects.values_list("pk", "parent_id"))
    chains = {}
    for pk in parents:
        chain, current = [], pk
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        chains[pk] = chain
    return chains


@dataclass
class DirectoryCounts:
    """Distinct active professionals (by profession code) and published hubs under each territory."""

    professionals: dict[int, dict[str, set[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    hubs: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    gp_codes: set[str] = field(default_factory=set)

    def gps(self, territory_id: int) -> int:
        people = set()
        for code in self.gp_codes:
            people |= self.professionals[territory_id].get(code, set())
        return len(people)

    def count(self, territory_id: int, profession_code: str) -> int:
        return len(self.professionals[territory_id].get(profession_code, set()))

    def hub_count(self, territory_id: int) -> int:
        return len(self.hubs[territory_id])


def directory_counts(within: Territory | None = None) -> DirectoryCounts:
    """A few queries for the directory (or one territory's part of it), rolled up the tree in Python."""
    chains = _ancestor_ids()
    counts = DirectoryCounts()
    hubs = Hub.objects.published().filter(territory__isnull=False)
    if within is not None:
        hubs = hubs.filter(territory__in=Territory.objects.within(within))
    rows = (
        Membership.objects.filter(professional__active=True, hub__in=hubs)
        .values_list("hub__territory_id", "professional_id", "professional__profession__code")
        .distinct()
    )
    for territory_id, professional_id, code in rows:
        for pk in chains.get(territory_id, [territory_id]):
            counts.professionals[pk][code].add(professional_id)
    for territory_id, hub_id in hubs.values_list("territory_id", "pk"):
        for pk in chains.get(territory_id, [territory_id]):
            counts.hubs[pk].add(hub_id)
    counts.gp_codes = set(Profession.objects.filter(counts_as_gp=True).values_list("code", flat=True))
    return counts


def latest(figures: list[DensityFigure]) -> DensityFigure | None:
    return figures[0] if figures else None


def comparable(figures: list[DensityFigure], reference_sources) -> DensityFigure | None:
    """The newest figure from a source the references share, else the newest one.

    Sources count differently (all GPs or only libéraux, different years): Le Blosne's 6.1 compares
    with Rennes' 13.4 and France's 10.9 from the same Ville de Rennes page, not with a 2024 national figure.
    """
    shared = [f for f in figures if f.source in set(reference_sources)]
    return latest(shared) or latest(figures)


def most_shared(figures: list[DensityFigure], others: list[list[DensityFigure]]) -> DensityFigure | None:
    """The territory's figure whose source the most reference territories also publish."""
    if not figures:
        return None
    usage = {f.source: sum(any(o.source == f.source for o in other) for other in others) for f in figures}
    return max(figures, key=lambda f: (usage[f.source], f.year is not None, f.year or 0))


@dataclass
class RetirementOutlook:
    gps: int
    retiring: int
    horizon: int
    density_now: float | None
    density_after: float | None


def retirement_outlook(
    territory: Territory, *, today: datetime.date | None = None
) -> RetirementOutlook | None:
    """Aggregated only, and only from 3 GPs up, so no one's plans can be read off the page."""
    horizon = (today or datetime.date.today()).year + RETIREMENT_HORIZON_YEARS
    gps = (
        Professional.objects.active()
        .general_practitioners()
        .filter(memberships__hub__published=True)
        .practising_in(Territory.objects.within(territory))
    )
    years = [year for _pk, year in gps.values_list("pk", "planned_retirement_year")]  # pk: one row per person
    if len(years) < MIN_GPS_FOR_RETIREMENT_OUTLOOK:
        return None
    retiring = sum(1 for year in years if year is not None and year <= horizon)
    return RetirementOutlook(
        gps=len(years),
        retiring=retiring,
        horizon=horizon,
        density_now=per_10k(len(years), territory.population),
        density_after=per_10k(len(years) - retiring, territory.population),
    )


def gp_gap(
    population: int | None, density: Decimal | float | None, reference: Decimal | float | None
) -> float | None:
    """How many GPs the territory lacks to reach a reference density (0 when it does)."""
    if not population or density is None or reference is None:
        return None
    missing = (float(reference) - float(density)) * population / 10_000
    return round(max(missing, 0.0), 1)
