import datetime
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.gis.db.models.functions import Distance
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from config import provenance
from config.http import client_key, take
from config.paging import CappedPaginator
from districts.models import DensityFigure
from hubs import after_hours, notices, services
from hubs.filters import MAX_RADIUS_KM, HubFilter
from hubs.forms import CompareHubsForm, CorrectionForm, HubField
from hubs.map_data import MAP_CACHE_SECONDS, hubs_geojson, map_geojson, map_version
from hubs.models import Hub, HubRedirect, transit_near
from hubs.models.transit import STOPS_WITHIN_METRES
from hubs.schema import PUBLIC_FACTS

PAGE_SIZE = 20


def hub_list(request):
    hub_filter = HubFilter(request.GET, queryset=Hub.objects.published().for_cards())
    if not hub_filter.is_valid():
        context = {
            "filter": hub_filter,
            "page": None,
            "search": None,
        }
        return render(request, "hubs/hub_list.html", context, status=400)
    around_home = hub_filter.nothing_asked()
    hubs = hub_filter.around_home() if around_home else hub_filter.qs
    page = CappedPaginator(hubs, PAGE_SIZE).get_page(request.GET.get("page"))
    point, radius_km = hub_filter.form.point(), hub_filter.form.radius()
    context = {
        "filter": hub_filter,
        "page": page,
        "search": {
            "point": {"lat": point.y, "lng": point.x} if point else None,
            "radius_km": radius_km,
            "geojson": reverse("hubs:map_data"),
            "districts": reverse("districts:map_data"),
        },
        "wider_radius": min(radius_km * 2.5, MAX_RADIUS_KM) if point else None,
        "home": settings.HOME if around_home else None,
        "after_hours": after_hours.for_results(list(page), point=point, moment=timezone.now()),
    }
    return render(request, "hubs/hub_list.html", context)


@gzip_page  # no secret in this response, so compressing it cannot leak one (BREACH)
def hub_map_data(request):
    hub_filter = HubFilter(request.GET, queryset=Hub.objects.published())
    if not hub_filter.is_valid():
        return JsonResponse({"errors": hub_filter.errors.get_json_data()}, status=400)
    # Keyed by the form's own fields only: made-up parameters (?n=1, ?n=2…) share one entry, not one each.
    known = sorted((name, value) for name in hub_filter.form.fields for value in request.GET.getlist(name))
    query = hashlib.sha256(urlencode(known).encode()).hexdigest()
    key = (
        f"hubs-map:{map_version()}:{translation.get_language()}:{query}"  # kind labels in the page's language
    )
    body = cache.get(key)
    if body is None:
        collection = map_geojson(hub_filter.qs, zoom=hub_filter.form.cleaned_data.get("zoom"))
        body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        cache.set(key, body, MAP_CACHE_SECONDS)  # "open now" may lag this much; any hub write starts afresh
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")


def hub_suggest(request):
    """Hub names for the matcher's picker as one types; the form resolves what is sent."""
    text = request.GET.get("q", "")[:60].strip()
    return JsonResponse({"suggestions": HubField().suggestions(text) if len(text) >= 2 else []})


def hub_by_id(request, pk):
    """Map popups link by id (a short number in a large GeoJSON); the page itself lives at its slug."""
    hub = get_object_or_404(Hub.objects.published().only("slug"), pk=pk)
    return redirect(hub, permanent=False)


def hub_detail(request, slug):
    hub = Hub.objects.published().for_page().filter(slug=slug).first()
    if hub is None:  # merged into another hub: its old address leads there
        moved = get_object_or_404(
            HubRedirect.objects.select_related("hub"), old_slug=slug, hub__published=True
        )
        return redirect(moved.hub, permanent=True)
    now = timezone.now()
    hub.note_opening(now)
    stops, transit_feeds = transit_near(hub.location)
    context = {
        "hub": hub,
        "open_now": hub.open_now,
        "change": hub.change,
        "after_hours": hub.open_now is False
        and after_hours.after_hours(point=hub.location, postcode=hub.postcode, moment=now),
        "services_by_category": hub.services_by_category(),
        "memberships": hub.practising(),
        "densities": DensityFigure.objects.for_gps_around(hub.territory) if hub.territory else [],
        "map_data": hubs_geojson([hub], stops=stops),
        "stops": stops,
        "transit_feeds": transit_feeds,
        "within": STOPS_WITHIN_METRES,
        "jsonld": hub_jsonld(hub, request),
        "sources": provenance.summary(hub, PUBLIC_FACTS),
        "report_form": CorrectionForm(),
        "unconfirmed_for_a_year": (hub.last_checked_on or datetime.date.min)
        < timezone.localdate() - datetime.timedelta(days=365),
    }
    return render(request, "hubs/hub_detail.html", context)


@require_POST
def hub_report(request, slug):
    """A resident reports an error: stored for the hub's managers and the city editors."""
    hub = get_object_or_404(Hub.objects.published(), slug=slug)
    form = CorrectionForm(request.POST)
    if form.is_spam():
        return render(request, "hubs/report_refused.html", {"hub": hub, "reason": "spam"}, status=400)
    if not form.is_valid():
        return render(
            request, "hubs/report_refused.html", {"hub": hub, "reason": "invalid", "form": form}, status=400
        )
    allowed, _seconds = take(
        "corrections", client_key(request), limit=settings.CORRECTIONS_PER_HOUR, seconds=3600
    )
    if not allowed:
        return render(request, "hubs/report_refused.html", {"hub": hub, "reason": "rate"}, status=429)
    services.submit_report(report=form.save(commit=False), hub=hub, language=translation.get_language())
    messages.success(
        request, _("Merci : votre signalement a été transmis à l'équipe qui tient cette fiche à jour.")
    )
    return redirect(hub)


SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def schema_hours(hours) -> dict:
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[hours.weekday]}",
        "opens": hours.opens.strftime("%H:%M"),
        "closes": hours.closes.strftime("%H:%M"),
    }


def hub_jsonld(hub, request) -> dict:
    """schema.org MedicalClinic, so search engines and assistants read hours and new-patient status."""
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
            schema_hours(h) for h in sorted(hub.opening_hours.all(), key=lambda h: (h.weekday, h.opens))
        ],
    }
    data.update(
        {key: value for key, value in [("telephone", hub.phone), ("description", hub.description)] if value}
    )
    if hub.accepting_new_patients != "UNKNOWN":
        data["isAcceptingNewPatients"] = hub.accepting_new_patients == "YES"
    if hub.location is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": hub.location.y, "longitude": hub.location.x}
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
    for hub in hubs:
        hub.note_opening(now)
    services = sorted({s for hub in hubs for s in hub.services.all()}, key=lambda s: (s.category, s.name))
    professions = sorted(
        {m.professional.profession for hub in hubs for m in hub.practising()}, key=lambda p: p.name
    )
    context = {
        "form": form,
        "hubs": hubs,
        "service_rows": [(s, [(hub, s in hub.services.all()) for hub in hubs]) for s in services],
        "profession_rows": [(p, [(hub, hub.head_count(p)) for hub in hubs]) for p in professions],
        "point": point,
    }
    return render(request, "hubs/hub_compare.html", context)


def hub_confirm(request, slug, token):
    """The reminder's link: a hub's manager says nothing has changed. Shown first (mail scanners follow links),
    recorded on POST; a forged or expired link says so and changes nothing."""
    try:
        hub = notices.hub_of_token(token)
    except (signing.BadSignature, Hub.DoesNotExist):
        return render(request, "hubs/hub_confirm.html", {"invalid": True}, status=400)
    if hub.slug != slug:
        return render(request, "hubs/hub_confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        Hub.objects.filter(pk=hub.pk).update(confirmed_by_hub_on=timezone.localdate())
        return render(request, "hubs/hub_confirm.html", {"hub": hub, "done": True})
    return render(request, "hubs/hub_confirm.html", {"hub": hub})
