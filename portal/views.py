import sys

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from districts import stats
from districts.models import DensityFigure, DirectoryCount, Territory
from hubs.map_data import MAP_CACHE_SECONDS, map_version
from hubs.models import Hub, Service
from programmes.models import SupportProgramme

RETRY_AFTER_SECONDS = 120


def home(request):
    context = {
        **directory_figures(),
        "professional_count": DirectoryCount.professionals_in_directory(),
        "programme_count": SupportProgramme.objects.count(),
        "open_programmes": SupportProgramme.objects.open_on(timezone.localdate())
        .for_listing()
        .nearest_deadline_first()[:3],
        "most_in_need": most_in_need(),
        # The overview map fetches /hubs/map.geojson: the home page stays small at any scale.
        "map_data": {"source": reverse("hubs:map_data")},
    }
    return render(request, "home.html", context)


def directory_figures() -> dict:
    """What costs a scan of the directory at national scale: kept a minute in the shared cache, and
    forgotten on every hub write (the map data's version is part of the key)."""
    key = f"home-figures:{map_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = {
            "hub_count": Hub.objects.published().count(),
            "district_count": Territory.objects.districts().count(),
            "services": list(Service.objects.offered().order_by("category", "name", "pk")),
        }
        cache.set(key, figures, MAP_CACHE_SECONDS)
    return figures


def most_in_need(limit: int = 4) -> list[DensityFigure]:
    """The districts with the lowest official GP density, one line each (their lowest current figure).

    Current: a source's newest figure for a place, as the territory page's charts show it; an older year of the
    same source is history, not another figure of the place."""
    newer = DensityFigure.objects.filter(
        territory=OuterRef("territory"), profession=OuterRef("profession"), source=OuterRef("source"),
        year__gt=OuterRef("year"),
    )  # fmt: skip
    figures = (
        DensityFigure.objects.filter(territory__level=Territory.Level.DISTRICT, profession__counts_as_gp=True)
        .exclude(Exists(newer))
        .select_related("territory__parent", "profession")
        .defer("territory__boundary", "territory__parent__boundary")
        .order_by("per_10k", "territory__name", "pk")[:50]
    )
    lowest = {}
    for figure in figures:
        lowest.setdefault(figure.territory_id, figure)
    return list(lowest.values())[:limit]


SHEET_HUBS = 30  # what fits on a printed page or two


def territory_sheet(request, slug):
    """A printable sheet for outreach workers: the territory's hubs with hours and phones, its figures with their
    sources, and a QR code back to the live page."""
    territory = get_object_or_404(Territory.objects.defer("boundary"), slug=slug)
    hubs = Hub.objects.published().in_territories(Territory.objects.within(territory)).for_listing()
    listed = list(hubs.order_by("name", "pk")[: SHEET_HUBS + 1])
    live_url = request.build_absolute_uri(territory.get_absolute_url())
    context = {
        "territory": territory,
        "hubs": listed[:SHEET_HUBS],
        "more_hubs": len(listed) > SHEET_HUBS,
        "live_url": live_url,
        # segno writes the SVG from our own URL (a validated host and slug): nothing a visitor typed.
        "qr_svg": mark_safe(
            segno.make(live_url, error="m").svg_inline(scale=3, title=str(_("Page en ligne")))
        ),
        "printed_on": timezone.localdate(),
        **stats.profile(territory),
    }
    return render(request, "districts/territory_sheet.html", context)


def legal_page(request, template: str):
    """Accessibility statement, legal notice, personal data: what a French public site must publish."""
    context = {"publisher": settings.PUBLISHER, "retention_days": settings.CORRECTION_RETENTION_DAYS}
    return render(request, f"portal/{template}.html", context)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "no answer"}, status=503)
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """500, or 503 with Retry-After when the database does not answer (a restart, a failover).

    Rendered without context processors: they may need the database that just failed.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):  # no connection, not a bad query
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
