from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from districts import stats
from districts.forms import CompareForm, PlaceField, TerritorySortForm
from districts.map_data import DISTANCE_CLASSES, cells_geojson, districts_geojson
from districts.models import ANCESTORS, AplFigure, Territory, TerritoryAccess

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
PAGE_SIZE = 60


def territory_list(request):
    form = TerritorySortForm(request.GET)
    sort = form.cleaned_data["sort"] if form.is_valid() and form.cleaned_data["sort"] else "name"
    # Sort ids only, then load one page of territories: sorting 35,000 whole rows costs three times more.
    page = Paginator(Territory.objects.for_list(sort).values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "sort": sort,
        "page": page,
        "groups": stats.grouped(stats.rows_for(Territory.objects.for_rows(page.object_list))),
        "classes": DENSITY_CLASSES,
        "no_data_colour": NO_DATA_COLOUR,
        "choropleth": {
            "source": reverse("districts:map_data"),
            "classes": DENSITY_CLASSES,
            "no_data": NO_DATA_COLOUR,
        },
    }
    return render(request, "districts/territory_list.html", context, status=200 if form.is_valid() else 400)


def official_apl(territory) -> AplFigure | None:
    """The newest APL of the territory, else of the nearest territory above it (a quartier's commune): the DREES
    publishes it per commune."""
    chain = [territory, *territory.ancestors()]
    figures = (
        AplFigure.objects.filter(territory__in=chain).select_related("territory").defer("territory__boundary")
    )
    return min(figures, key=lambda f: (chain.index(f.territory), -f.year), default=None)


def territory_detail(request, slug):
    territory = get_object_or_404(
        Territory.objects.select_related(ANCESTORS[-1]).defer("boundary"), slug=slug
    )
    context = {
        "territory": territory,
        "children": territory.children.defer("boundary").order_by("name", "pk"),
        # Hubs and programmes are listed (and paginated) by their own pages, filtered on this territory.
        "map_data": {"source": f"{reverse('hubs:map_data')}?territory={territory.slug}"},
        "access": TerritoryAccess.objects.filter(territory=territory).first(),
        "apl": official_apl(territory),
        "cells_data": {"source": reverse("districts:cells", args=[territory.slug])},
        "distance_classes": DISTANCE_CLASSES,
        **stats.profile(territory),
    }
    return render(request, "districts/territory_detail.html", context)


def territory_compare(request):
    form = CompareForm.from_query(request.GET)
    context = {"form": form}
    if not form.is_valid():
        return render(
            request, "districts/territory_compare.html", context, status=400 if request.GET else 200
        )
    chosen = form.cleaned_data["territory"]  # in the order given
    context.update({"columns": stats.comparison(chosen), "chosen": chosen})
    return render(request, "districts/territory_compare.html", context)


def territory_suggest(request):
    """Names for the place pickers as one types (static/js/suggest.js); the form resolves what is sent."""
    field = PlaceField()
    text = request.GET.get("q", "")[:60].strip()
    return JsonResponse({"suggestions": field.suggestions(text) if len(text) >= 2 else []})


def territory_map_data(request):
    return JsonResponse(districts_geojson(), content_type="application/geo+json")


def territory_cells(request, slug):
    """The access map's squares, for a territory the population grid covers (404 otherwise); their distances to a
    GP only where the directory is known to list every GP (stats.complete_for_gps)."""
    access = get_object_or_404(TerritoryAccess.objects.select_related("territory"), territory__slug=slug)
    distances = stats.complete_for_gps(access.territory) is not None
    return JsonResponse(
        cells_geojson(access.territory, distances=distances), content_type="application/geo+json"
    )
