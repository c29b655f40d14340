import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.gis.db.models.functions import Distance
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import FloatField, Func
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from districts.models import DensityFigure, Territory
from hubs.filters import MAX_RADIUS_KM, HubFilter
from hubs.forms import CompareHubsForm, CorrectionForm
from hubs.map_data import COORDINATE_DECIMALS, hubs_geojson
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
        "open_programmes": SupportProgramme.objects.open_on(timezone.localdate())
        .for_listing()
        .nearest_deadline_first()[:3],
        "services": Service.objects.filter(hubs__published=True)
        .distinct()
        .order_by("category", "name", "pk"),
        "most_in_need": most_in_need(),
        # The overview map fetches /hubs/map.geojson: the home page stays small at any scale.
        "map_data": {"source": reverse("hubs:map_data")},
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


def place_choices():
    """(slug, name) of quartiers and communes: rendered by hand, Django's Select is slow past a few hundred."""
    return list(Territory.objects.places().values_list("slug", "name"))


def hub_list(request):
    hub_filter = HubFilter(request.GET, queryset=Hub.objects.published().for_listing())
    if not hub_filter.is_valid():
        context = {"filter": hub_filter, "page": None, "search": None, "places": place_choices()}
        return render(request, "hubs/hub_list.html", context, status=400)
    page = Paginator(hub_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for hub in page.object_list:
        hub.open_now = hub.is_open_at(now)
    point = hub_filter.point
    context = {
        "filter": hub_filter,
        "page": page,
        "places": place_choices(),
        "search": {
            "point": {"lat": point.y, "lng": point.x} if point else None,
            "radius_km": hub_filter.radius_km,
            "geojson": reverse("hubs:map_data"),
            "districts": reverse("districts:map_data"),
            "tiles": settings.MAP_TILES_URL,
            "attribution": settings.MAP_TILES_ATTRIBUTION,
        },
        "wider_radius": min(hub_filter.radius_km * 2.5, MAX_RADIUS_KM) if point else None,
    }
    return render(request, "hubs/hub_list.html", context)


@gzip_page  # no secret in this response, so compressing it cannot leak one (BREACH)
def hub_map_data(request):
    """Every filtered hub as a compact GeoJSON point: 10,000 hubs stay about 1.5 MB, 0.2 MB compressed.

    Shared once per collection rather than per feature: the kind labels (features carry an index)
    and the link pattern (features carry their id).
    """
    hub_filter = HubFilter(request.GET, queryset=Hub.objects.published())
    if not hub_filter.is_valid():
        return JsonResponse({"errors": hub_filter.errors.get_json_data()}, status=400)
    open_ids = set(hub_filter.qs.open_at(timezone.now()).values_list("pk", flat=True))
    kind_index = {value: index for index, value in enumerate(Hub.Kind.values)}
    rows = (
        hub_filter.qs.filter(location__isnull=False)
        .annotate(lng=Func("location", function="ST_X", output_field=FloatField()))
        .annotate(lat=Func("location", function="ST_Y", output_field=FloatField()))
        .values_list("pk", "name", "kind", "lng", "lat")
    )
    features = []
    for pk, name, kind, lng, lat in rows:
        properties = {"name": name, "kind": kind_index[kind]}
        if pk in open_ids:
            properties["open"] = True
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(lng, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS)],
                },
                "properties": properties,
            }
        )
    data = {
        "type": "FeatureCollection",
        "kinds": [str(label) for label in Hub.Kind.labels],
        "url": reverse("hubs:by_id", args=[0]).replace("/0/", "/{id}/"),
        "features": features,
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")


def hub_by_id(request, pk):
    """Map popups link by id (a short number in a large GeoJSON); the page itself lives at its slug."""
    hub = get_object_or_404(Hub.objects.published().only("slug"), pk=pk)
    return redirect(hub, permanent=False)


def hub_detail(request, slug):
    hub = get_object_or_404(Hub.objects.published().for_page(), slug=slug)
    territory = hub.territory
    memberships = sorted(
        (m for m in hub.memberships.all() if m.professional.active),
        key=lambda m: (m.professional.profession.name, m.professional.display_name),
    )
    services = sorted(hub.services.all(), key=lambda s: s.name)
    context = {
        "hub": hub,
        "open_now": hub.is_open_at(),
        "services_by_category": [
            (label, [s for s in services if s.category == value])
            for value, label in Service.Category.choices
            if any(s.category == value for s in services)
        ],
        "memberships": memberships,
        "fundings": sorted(hub.fundings.all(), key=lambda f: (-(f.year or 0), f.programme.name)),
        "densities": [],
        "map_data": hubs_geojson([hub]),
        "jsonld": hub_jsonld(hub, request),
        "applying_programmes": [],
        "report_form": CorrectionForm(),
    }
    if territory is not None:
        context["applying_programmes"] = (
            SupportProgramme.objects.open_on(timezone.localdate())
            .applying_to(territory)
            .prefetch_related("funders")
            .nearest_deadline_first()
        )
        context["densities"] = (
            DensityFigure.objects.filter(
                territory__in=Territory.objects.enclosing(territory), profession__counts_as_gp=True
            )
            .filter(territory__level__in=[Territory.Level.DISTRICT, Territory.Level.CITY])
            .select_related("territory", "profession")
            .defer("territory__boundary")
            .order_by("-territory__level", "-year", "pk")
        )
    return render(request, "hubs/hub_detail.html", context)


@require_POST
def hub_report(request, slug):
    """A resident reports an error: stored for the hub's managers and the city editors."""
    hub = get_object_or_404(Hub.objects.published(), slug=slug)
    form = CorrectionForm(request.POST)
    if form.is_spam():
        return render(request, "hubs/report_refused.html", {"hub": hub, "reason": "spam"}, status=400)
    address = hashlib.sha256(request.META.get("REMOTE_ADDR", "").encode()).hexdigest()[:32]
    key = f"corrections:{address}"
    cache.add(key, 0, 3600)
    if cache.get(key, 0) >= settings.CORRECTIONS_PER_HOUR:
        return render(request, "hubs/report_refused.html", {"hub": hub, "reason": "rate"}, status=429)
    if not form.is_valid():
        return render(
            request, "hubs/report_refused.html", {"hub": hub, "reason": "invalid", "form": form}, status=400
        )
    correction = form.save(commit=False)
    correction.hub = hub
    correction.save()
    cache.incr(key)
    messages.success(
        request, _("Merci : votre signalement a été transmis à l'équipe qui tient cette fiche à jour.")
    )
    return redirect(hub)


def hub_jsonld(hub, request) -> dict:
    """schema.org MedicalClinic, so search engines and assistants read hours and new-patient status."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": hub.name,
        "url": request.build_absolute_uri(hub.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": hub.street,
            "postalCode": hub.postcode,
            "addressLocality": hub.city,
            "addressCountry": "FR",
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{days[h.weekday]}",
                "opens": h.opens.strftime("%H:%M"),
                "closes": h.closes.strftime("%H:%M"),
            }
            for h in sorted(hub.opening_hours.all(), key=lambda h: (h.weekday, h.opens))
        ],
    }
    if hub.accepting_new_patients != "UNKNOWN":
        data["isAcceptingNewPatients"] = hub.accepting_new_patients == "YES"
    if hub.phone:
        data["telephone"] = hub.phone
    if hub.location is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": hub.location.y, "longitude": hub.location.x}
    if hub.description:
        data["description"] = hub.description
    return data


def hub_compare(request):
    form = CompareHubsForm.from_query(request.GET)
    if not form.is_valid():
        return render(request, "hubs/hub_compare.html", {"form": form}, status=400)
    slugs = form.cleaned_data["hub"]
    queryset = Hub.objects.published().for_page()
    point = form.point()
    if point is not None:
        queryset = queryset.annotate(distance=Distance("location", point))
    hubs = sorted(queryset.filter(slug__in=slugs), key=lambda h: slugs.index(h.slug))
    now = timezone.now()
    services = sorted({s for hub in hubs for s in hub.services.all()}, key=lambda s: (s.category, s.name))
    professions = sorted(
        {m.professional.profession for hub in hubs for m in hub.memberships.all() if m.professional.active},
        key=lambda p: p.name,
    )
    for hub in hubs:
        hub.open_now = hub.is_open_at(now)
        hub.service_set = set(hub.services.all())
        hub.head_counts = [
            sum(1 for m in hub.memberships.all() if m.professional.active and m.professional.profession == p)
            for p in professions
        ]
    context = {
        "form": form,
        "hubs": hubs,
        "service_rows": [(s, [s in hub.service_set for hub in hubs]) for s in services],
        "profession_rows": [(p, [hub.head_counts[i] for hub in hubs]) for i, p in enumerate(professions)],
        "point": point,
    }
    return render(request, "hubs/hub_compare.html", context)


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "no answer"}, status=503)
    return HttpResponse("ok", content_type="text/plain")
