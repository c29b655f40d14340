from django.shortcuts import get_object_or_404, render

from districts.models import DensityFigure, Territory
from hubs.map_data import hubs_geojson
from hubs.models import Hub
from professionals.models import Professional
from programmes.models import SupportProgramme


def territory_list(request):
    territories = (
        Territory.objects.filter(level__in=[Territory.Level.DISTRICT, Territory.Level.CITY])
        .select_related("parent")
        .order_by("parent__name", "level", "name", "pk")
    )
    return render(request, "districts/territory_list.html", {"territories": territories})


def computed_gp_density(territory) -> dict | None:
    """Active GPs practising in the territory's hubs per 10,000 inhabitants (not an official figure)."""
    if not territory.population:
        return None
    gps = (
        Professional.objects.active()
        .general_practitioners()
        .practising_in(Territory.objects.within(territory))
        .count()
    )
    return {"count": gps, "per_10k": round(gps / territory.population * 10_000, 1)}


def territory_detail(request, slug):
    territory = get_object_or_404(
        Territory.objects.select_related("parent__parent__parent__parent"), slug=slug
    )
    hubs = Hub.objects.published().in_territories(Territory.objects.within(territory)).for_listing().by_name()
    context = {
        "territory": territory,
        "ancestors": territory.ancestors(),
        "children": territory.children.order_by("name", "pk"),
        "figures": DensityFigure.objects.filter(territory=territory)
        .select_related("profession")
        .order_by("profession__name", "-year", "pk"),
        "computed": computed_gp_density(territory),
        "hubs": hubs,
        "programmes": SupportProgramme.objects.applying_to(territory).for_listing().nearest_deadline_first(),
        "map_data": hubs_geojson(hubs),
    }
    return render(request, "districts/territory_detail.html", context)
