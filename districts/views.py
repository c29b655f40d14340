from dataclasses import dataclass

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from districts import stats
from districts.forms import CompareForm, TerritorySortForm
from districts.map_data import districts_geojson
from districts.models import DensityFigure, Territory
from hubs.map_data import hubs_geojson
from hubs.models import Hub
from programmes.models import SupportProgramme

# Density classes for the choropleth, per 10,000 inhabitants; viridis colours read well with colour blindness.
# Darkest for the lowest density: the districts in need stand out.
DENSITY_CLASSES = [
    (None, 7, "#440154"),
    (7, 9, "#3b528b"),
    (9, 11, "#21918c"),
    (11, 13, "#5ec962"),
    (13, None, "#fde725"),
]
NO_DATA_COLOUR = "#bdbdbd"


@dataclass
class Row:
    territory: Territory
    official: DensityFigure | None
    computed: float | None
    gps: int
    hubs: int

    def sort_key(self, key):
        values = {
            "name": self.territory.name.lower(),
            "population": self.territory.population,
            "official": float(self.official.per_10k) if self.official else None,
            "computed": self.computed,
            "hubs": self.hubs,
        }
        value = values[key]
        return (value is None, value if value is not None else 0, self.territory.name)


def rows_for(territories) -> list[Row]:
    ids = {t.pk for t in territories} | {t.parent_id for t in territories if t.parent_id}
    figures = stats.official_figures(ids, gp_only=True)
    counts = stats.directory_counts()
    return [
        Row(
            territory=t,
            # Beside its city's figure, from the same source when there is one.
            official=stats.comparable(
                figures.get(t.pk, []), [f.source for f in figures.get(t.parent_id, [])]
            ),
            computed=stats.per_10k(counts.gps(t.pk), t.population),
            gps=counts.gps(t.pk),
            hubs=counts.hub_count(t.pk),
        )
        for t in territories
    ]


def territory_list(request):
    form = TerritorySortForm(request.GET)
    sort = form.cleaned_data["sort"] if form.is_valid() and form.cleaned_data["sort"] else "name"
    territories = list(
        Territory.objects.filter(level__in=[Territory.Level.DISTRICT, Territory.Level.CITY])
        .select_related("parent")
        .defer("boundary", "parent__boundary")
    )
    rows = rows_for(territories)
    groups = {}
    for row in rows:
        # Quartiers under their city, communes under their department; a city heads its own group.
        head = row.territory if row.territory.level == Territory.Level.CITY else row.territory.parent
        groups.setdefault(head, {"head": None, "rows": []})
        if row.territory == head:
            groups[head]["head"] = row
        else:
            groups[head]["rows"].append(row)
    key, descending = sort.lstrip("-"), sort.startswith("-")
    for group in groups.values():
        group["rows"].sort(key=lambda r: r.sort_key(key), reverse=descending)
    context = {
        "form": form,
        "sort": sort,
        "groups": sorted(groups.items(), key=lambda item: item[0].name if item[0] else ""),
        "classes": DENSITY_CLASSES,
        "no_data_colour": NO_DATA_COLOUR,
    }
    return render(request, "districts/territory_list.html", context, status=200 if form.is_valid() else 400)


def territory_detail(request, slug):
    territory = get_object_or_404(
        Territory.objects.select_related("parent__parent__parent__parent").defer("boundary"), slug=slug
    )
    ancestors = territory.ancestors()
    hubs = Hub.objects.published().in_territories(Territory.objects.within(territory)).for_listing().by_name()
    figures = stats.official_figures([territory.pk, *(a.pk for a in ancestors)])
    counts = stats.directory_counts(within=territory)
    own = figures.get(territory.pk, [])

    def gp_figures(t):
        return [f for f in figures.get(t.pk, []) if f.profession.counts_as_gp]

    own_gp = stats.most_shared(gp_figures(territory), [gp_figures(a) for a in ancestors])
    own_source = [own_gp.source] if own_gp else []
    gp_count = counts.gps(territory.pk)
    computed_gp = stats.per_10k(gp_count, territory.population)

    bars = [(territory.name, "official", own_gp), (territory.name, "computed", computed_gp)]
    for ancestor in ancestors:
        bars.append(
            (
                ancestor.name,
                "official",
                stats.latest([f for f in figures.get(ancestor.pk, []) if f.profession.counts_as_gp]),
            )
        )
    values = [float(b[2].per_10k) if isinstance(b[2], DensityFigure) else b[2] for b in bars]
    top = max([v for v in values if v is not None], default=0) or 1

    current = own_gp.per_10k if own_gp else computed_gp
    city = next((a for a in ancestors if a.level == Territory.Level.CITY), None)
    country = next((a for a in ancestors if a.level == Territory.Level.COUNTRY), None)
    gaps = []
    for reference in [city, country]:
        if reference is None:
            continue
        reference_gp = stats.comparable(gp_figures(reference), own_source)
        gap = stats.gp_gap(territory.population, current, reference_gp.per_10k if reference_gp else None)
        if gap is not None:
            gaps.append({"reference": reference, "figure": reference_gp, "missing": gap})

    professions = {f.profession for f in own}
    computed_by_profession = [
        (
            profession,
            counts.count(territory.pk, profession.code),
            stats.per_10k(counts.count(territory.pk, profession.code), territory.population),
        )
        for profession in sorted(professions, key=lambda p: p.name)
    ]
    context = {
        "territory": territory,
        "ancestors": ancestors,
        "children": territory.children.defer("boundary").order_by("name", "pk"),
        "figures": sorted(own, key=lambda f: f.profession.name),
        "computed_gp": computed_gp,
        "gp_count": gp_count,
        "computed_by_profession": computed_by_profession,
        "bars": [
            {
                "name": name,
                "kind": kind,
                "value": value,
                "figure": figure if kind == "official" else None,
                "width": round((value or 0) / top * 100),
            }
            for (name, kind, figure), value in zip(bars, values, strict=True)
        ],
        "gaps": gaps,
        "retirement": stats.retirement_outlook(territory),
        "hubs": hubs,
        "programmes": SupportProgramme.objects.applying_to(territory).for_listing().nearest_deadline_first(),
        "map_data": hubs_geojson(hubs),
    }
    return render(request, "districts/territory_detail.html", context)


def territory_compare(request):
    form = CompareForm.from_query(request.GET)
    context = {"form": form, "choices": Territory.objects.defer("boundary").order_by("level", "name", "pk")}
    if not form.is_valid():
        return render(
            request, "districts/territory_compare.html", context, status=400 if request.GET else 200
        )
    chosen = sorted(
        form.cleaned_data["territory"], key=lambda t: request.GET.getlist("territory").index(t.slug)
    )
    chosen_ids = {t.pk for t in chosen}
    parents = dict(Territory.objects.values_list("pk", "parent_id"))
    reference_ids = []
    for territory in chosen:
        current = parents.get(territory.pk)
        while current is not None:
            if current not in chosen_ids and current not in reference_ids:
                reference_ids.append(current)
            current = parents.get(current)
    level_order = {level: index for index, level in enumerate(Territory.Level.values)}
    references = sorted(
        Territory.objects.filter(pk__in=reference_ids).defer("boundary"),
        key=lambda t: (level_order[t.level], t.name),
    )
    columns = rows_for(chosen + references)
    figures = stats.official_figures([row.territory.pk for row in columns])
    for row in columns:
        row.gp_figures = [f for f in figures.get(row.territory.pk, []) if f.profession.counts_as_gp]
        row.nurse_figures = [f for f in figures.get(row.territory.pk, []) if f.profession.code == "nurse"]
        row.is_reference = row.territory.pk not in chosen_ids
    context.update({"columns": columns, "chosen": chosen})
    return render(request, "districts/territory_compare.html", context)


def territory_map_data(request):
    return JsonResponse(districts_geojson(), content_type="application/geo+json")
