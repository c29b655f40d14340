"""Densities for territory pages: official figures as published, and figures computed from the directory.

Computed figures: active professionals practising in the published hubs of a territory (and of every
territory under it) ÷ population × 10,000, from the counts the hubs app keeps (`DirectoryCount`). Everything
here costs a fixed number of queries, whatever the size of the directory.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from districts.models import ANCESTORS, CompleteDirectory, DensityFigure, DirectoryCount, Territory

RETIREMENT_HORIZON_YEARS = 5
MIN_GPS_FOR_RETIREMENT_OUTLOOK = 3  # fewer retiring (or staying) could point at one person


def per_10k(count: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(count / population * 10_000, 1)


def computed_density(counts: "Counts", population: int | None) -> float | None:
    """GPs per 10,000 from the directory, only where it is known to list every GP (CompleteDirectory): elsewhere
    a low figure would read as a medical desert when it only means the directory is incomplete."""
    return per_10k(counts.gps, population) if counts.hubs and counts.complete_for_gps else None


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


@dataclass
class Counts:
    """What the directory holds under one territory."""

    hubs: int = 0
    professionals: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by profession code
    gps_by_retirement_year: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    # Professions the directory lists completely here, with who established it: {code: CompleteDirectory}.
    complete: dict[str, CompleteDirectory] = field(default_factory=dict)

    @property
    def complete_for_gps(self) -> CompleteDirectory | None:
        return next((c for c in self.complete.values() if c.profession.counts_as_gp), None)

    @property
    def gps(self) -> int:
        return sum(self.gps_by_retirement_year.values())

    def count(self, profession_code: str) -> int:
        return self.professionals.get(profession_code, 0)


def directory_counts(territory_ids) -> dict[int, Counts]:
    """One query; a territory with nothing in the directory gets empty counts."""
    counts = defaultdict(Counts)
    rows = DirectoryCount.objects.filter(territory_id__in=list(territory_ids)).values_list(
        "territory_id", "profession__code", "profession__counts_as_gp", "planned_retirement_year", "count"
    )
    for territory_id, code, counts_as_gp, year, n in rows:
        here = counts[territory_id]
        if code is None:
            here.hubs += n
            continue
        here.professionals[code] += n
        if counts_as_gp:
            here.gps_by_retirement_year[year] += n
    for territory_id, complete in completeness(territory_ids).items():
        counts[territory_id].complete = complete
    return counts


def completeness(territory_ids) -> dict[int, dict[str, CompleteDirectory]]:
    """Per territory, the professions the directory lists completely there: declared for it or for a territory
    above it (a department's import covers its communes). Two queries."""
    chains = {
        pk: [pk, *(up for up in ups if up)]
        for pk, *ups in Territory.objects.filter(pk__in=list(territory_ids)).values_list("pk", *ANCESTORS)
    }
    declared = defaultdict(dict)
    wanted = {pk for chain in chains.values() for pk in chain}
    for record in CompleteDirectory.objects.filter(territory_id__in=wanted).select_related("profession"):
        declared[record.territory_id][record.profession.code] = record
    return {
        pk: {code: record for up in reversed(chain) for code, record in declared.get(up, {}).items()}
        for pk, chain in chains.items()
    }


def complete_for_gps(territory: Territory) -> CompleteDirectory | None:
    """Who established that the directory lists every GP of the territory (or of one above it), if anyone: the
    condition for showing any figure computed from the directory's GPs (densities, access). Two queries."""
    found = completeness([territory.pk]).get(territory.pk, {}).values()
    return next((record for record in found if record.profession.counts_as_gp), None)


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


@dataclass(frozen=True)
class _Tally:
    gps: int
    retiring: int

    def __sub__(self, other):
        return _Tally(self.gps - other.gps, self.retiring - other.retiring)

    def __add__(self, other):
        return _Tally(self.gps + other.gps, self.retiring + other.retiring)

    @property
    def is_empty(self) -> bool:
        return self.gps == 0 and self.retiring == 0

    @property
    def is_safe(self) -> bool:
        """Nobody's plan can be read off it: at least 3 GPs who retire and 3 who stay ("not all, not none")."""
        staying = self.gps - self.retiring
        return min(self.retiring, staying) >= MIN_GPS_FOR_RETIREMENT_OUTLOOK


def gp_tallies(territory: Territory, horizon: int) -> defaultdict[int, _Tally]:
    """GPs and those retiring by the horizon, summed in SQL, for the territory, its siblings and its parent: a
    commune has hundreds of siblings, and their rows (per profession and year) are thousands."""
    ids = [territory.pk]
    if territory.parent_id is not None:
        ids += [
            territory.parent_id,
            *Territory.objects.filter(parent_id=territory.parent_id).values_list("pk", flat=True),
        ]
    # The ids as a list, and GPs as a FILTER: the planner then reads these territories' rows by index, where a
    # subquery or a join on the profession made it read every GP row of the country.
    gp = Q(profession__counts_as_gp=True)
    rows = (
        DirectoryCount.objects.filter(territory_id__in=ids)
        .values("territory_id")
        .annotate(
            gps=Sum("count", filter=gp),
            retiring=Sum("count", filter=gp & Q(planned_retirement_year__lte=horizon)),
        )
        .order_by()
    )
    tallies = defaultdict(lambda: _Tally(0, 0))
    for row in rows:
        tallies[row["territory_id"]] = _Tally(row["gps"] or 0, row["retiring"] or 0)
    return tallies


def retirement_outlook(
    territory: Territory, *, today: datetime.date | None = None, gps_complete: bool | None = None
) -> RetirementOutlook | None:
    """Aggregated, and shown only when no one's plan can be worked out from it.

    The counts must be safe (at least 3 GPs retiring and 3 staying: never "all" or "none"), and so must
    what a reader gets by subtraction: a parent minus those of its children that show an outlook. When
    that remainder is unsafe, the children hide theirs and the parent shows the total.
    """
    horizon = (today or datetime.date.today()).year + RETIREMENT_HORIZON_YEARS
    tallies = gp_tallies(territory, horizon)
    own = tallies[territory.pk]
    if not own.is_safe:
        return None
    if territory.parent_id is not None:
        shown = [pk for pk, tally in tallies.items() if pk != territory.parent_id and tally.is_safe]
        remainder = tallies[territory.parent_id] - sum((tallies[pk] for pk in shown), _Tally(0, 0))
        if not (remainder.is_empty or remainder.is_safe):
            return None
    if gps_complete is None:  # the territory page passes what it already knows
        gps_complete = complete_for_gps(territory) is not None
    population = territory.population if gps_complete else None  # no computed density where incomplete
    return RetirementOutlook(
        gps=own.gps,
        retiring=own.retiring,
        horizon=horizon,
        density_now=per_10k(own.gps, population),
        density_after=per_10k(own.gps - own.retiring, population),
    )


def gp_gap(
    population: int | None, density: Decimal | float | None, reference: Decimal | float | None
) -> float | None:
    """How many whole GPs the territory lacks to reach a reference density (0 when it does): a shortfall of
    0.3 doctor is still one doctor to find."""
    if not population or density is None or reference is None:
        return None
    missing = (float(reference) - float(density)) * population / 10_000
    return math.ceil(round(missing, 6)) if missing > 0 else 0


@dataclass
class Row:
    """A territory in the list or in a comparison: its official and computed GP densities."""

    territory: Territory
    official: DensityFigure | None
    computed: float | None
    gps: int
    hubs: int
    is_reference: bool = False
    gp_figures: list[DensityFigure] = field(default_factory=list)
    nurse_figures: list[DensityFigure] = field(default_factory=list)


def rows_for(territories) -> list[Row]:
    ids = {t.pk for t in territories} | {t.parent_id for t in territories if t.parent_id}
    figures = official_figures(ids, gp_only=True)
    counts = directory_counts(ids)
    return [
        Row(
            territory=t,
            # Beside its city's figure, from the same source when there is one.
            official=comparable(figures.get(t.pk, []), [f.source for f in figures.get(t.parent_id, [])]),
            computed=computed_density(counts[t.pk], t.population),
            gps=counts[t.pk].gps,
            hubs=counts[t.pk].hubs,
        )
        for t in territories
    ]


def grouped(rows: list[Row]) -> list[tuple[Territory | None, dict]]:
    """Quartiers under their city, communes under their department; a city heads its own group.

    The rows come sorted (Territory.objects.for_list()): groups keep that order.
    """
    groups = {}
    for row in rows:
        head = row.territory if row.territory.level == Territory.Level.CITY else row.territory.parent
        group = groups.setdefault(head, {"head": None, "rows": []})
        if row.territory == head:
            group["head"] = row
        else:
            group["rows"].append(row)
    return list(groups.items())


def comparison(chosen: list[Territory]) -> list[Row]:
    """The chosen territories, then every territory above them as a reference column (city, …, country)."""
    chosen_ids = {t.pk for t in chosen}
    level_order = {level: index for index, level in enumerate(Territory.Level.values)}
    references = sorted(
        Territory.objects.enclosing_any(chosen_ids).exclude(pk__in=chosen_ids).defer("boundary"),
        key=lambda t: (level_order[t.level], t.name),
    )
    columns = rows_for(chosen + references)
    figures = official_figures([row.territory.pk for row in columns])
    for row in columns:
        row.gp_figures = [f for f in figures.get(row.territory.pk, []) if f.profession.counts_as_gp]
        row.nurse_figures = [f for f in figures.get(row.territory.pk, []) if f.profession.code == "nurse"]
        row.is_reference = row.territory.pk not in chosen_ids
    return columns


def profile(territory: Territory) -> dict:
    """Everything a territory page shows: figures, charts against each parent, gaps, counts, retirements."""
    ancestors = territory.ancestors()
    figures = official_figures([territory.pk, *(a.pk for a in ancestors)])
    counts = directory_counts([territory.pk])[territory.pk]

    def gp_figures(t):
        return [f for f in figures.get(t.pk, []) if f.profession.counts_as_gp]

    own_gp = most_shared(gp_figures(territory), [gp_figures(a) for a in ancestors])
    computed_gp = computed_density(counts, territory.population)
    own = figures.get(territory.pk, [])
    return {
        "ancestors": ancestors,
        "figures": sorted(own, key=lambda f: f.profession.name),
        "computed_gp": computed_gp,
        "complete": counts.complete_for_gps,
        "gp_count": counts.gps,
        "hub_count": counts.hubs,
        "computed_by_profession": [
            (p, counts.count(p.code), per_10k(counts.count(p.code), territory.population))
            for p in sorted({f.profession for f in own}, key=lambda p: p.name)
            if p.code in counts.complete
        ],
        "charts": source_charts([territory, *ancestors], gp_figures, first=own_gp),
        "gaps": _gaps(territory, ancestors, gp_figures, own_gp.per_10k if own_gp else computed_gp, own_gp),
        "retirement": retirement_outlook(territory, gps_complete=counts.complete_for_gps is not None),
    }


def source_charts(places, gp_figures, *, first=None) -> list[dict]:
    """One chart per source, never two sources in one: the places it gives a GP figure for, its newest each.
    Sources count differently (all GPs or only libéraux, different years), so bars compare like with like; the
    chart of the territory's own main figure comes first."""
    by_source: dict[str, list] = {}
    for place in places:
        newest = {}
        for figure in gp_figures(place):  # newest first
            newest.setdefault(figure.source, figure)
        for source, figure in newest.items():
            by_source.setdefault(source, []).append((place.name, "official", figure))
    order = sorted(by_source, key=lambda source: (first is None or source != first.source, source))
    return [{"source": source, "bars": _bars(by_source[source])} for source in order]


def _bars(bars) -> list[dict]:
    values = [float(figure.per_10k) if isinstance(figure, DensityFigure) else figure for _, _, figure in bars]
    top = max([v for v in values if v is not None], default=0) or 1
    return [
        {
            "name": name,
            "kind": kind,
            "value": value,
            "figure": figure if kind == "official" else None,
            "width": round((value or 0) / top * 100),
        }
        for (name, kind, figure), value in zip(bars, values, strict=True)
    ]


def _gaps(territory, ancestors, gp_figures, current, own_gp) -> list[dict]:
    """How far from its city's and the country's density, from the same source where possible."""
    own_source = [own_gp.source] if own_gp else []
    gaps = []
    for reference in ancestors:
        if reference.level not in (Territory.Level.CITY, Territory.Level.COUNTRY):
            continue
        reference_gp = comparable(gp_figures(reference), own_source)
        gap = gp_gap(territory.population, current, reference_gp.per_10k if reference_gp else None)
        if gap is not None:
            gaps.append({"reference": reference, "figure": reference_gp, "missing": gap})
    return gaps
