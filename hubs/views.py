from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from districts.models import DensityFigure, Territory
from hubs.filters import HubFilter
from hubs.map_data import hubs_geojson
from hubs.models import Hub, Service
from professionals.models import Professional
from programmes.models import SupportProgramme

PAGE_SIZE = 20


def home(request):
    hubs = Hub.objects.published()
    context = {
        "hub_count": hubs.count(),
        "professional_count": Professional.objects.active().count(),
        "district_count": Territory.objects.districts().count(),
        "programme_count": SupportProgramme.objects.count(),
        "services": Service.objects.filter(hubs__published=True)
        .distinct()
        .order_by("category", "name", "pk"),
        "most_in_need": most_in_need(),
        "map_data": hubs_geojson(hubs.for_listing()),
    }
    return render(request, "home.html", context)


def most_in_need(limit: int = 4) -> list[DensityFigure]:
    """The districts with the lowest official GP density, one line each (their lowest figure)."""
    figures = (
        DensityFigure.objects.filter(territory__level=Territory.Level.DISTRICT, profession__counts_as_gp=True)
        .select_related("territory__parent", "profession")
        .defer("territory__boundary", "territory__parent__boundary")
        .order_by("per_10k", "territory__name", "pk")[:50]
    )
    lowest = {}
    for figure in figures:
        lowest.setdefault(figure.territory_id, figure)
    return list(lowest.values())[:limit]


def hub_list(request):
    hub_filter = HubFilter(request.GET, queryset=Hub.objects.published().for_listing())
    hubs = hub_filter.qs.order_by("name", "pk") if hub_filter.is_valid() else Hub.objects.none()
    page = Paginator(hubs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/hub_list.html",
        {"filter": hub_filter, "page": page, "map_data": hubs_geojson(page.object_list)},
        status=200 if hub_filter.is_valid() else 400,
    )


def hub_detail(request, slug):
    hub = get_object_or_404(Hub.objects.published().for_page(), slug=slug)
    territory = hub.territory
    context = {
        "hub": hub,
        "open_now": hub.is_open_at(),
        "memberships": sorted(
            hub.memberships.all(), key=lambda m: (m.professional.profession.name, m.professional.display_name)
        ),
        "fundings": sorted(hub.fundings.all(), key=lambda f: (-(f.year or 0), f.programme.name)),
        "densities": [],
        "map_data": hubs_geojson([hub]),
    }
    if territory is not None:
        context["densities"] = (
            DensityFigure.objects.filter(
                territory__in=Territory.objects.enclosing(territory), profession__counts_as_gp=True
            )
            .select_related("territory", "profession")
            .order_by("territory__level", "-year", "pk")
        )
    return render(request, "hubs/hub_detail.html", context)


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "no answer"}, status=503)
    return HttpResponse("ok", content_type="text/plain")
