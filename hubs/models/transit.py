"""Public transport from a GTFS feed: stops and the lines that call there, to say how to reach a hub."""

import math

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config import geo

STOPS_WITHIN_METRES = 500
# A slow walk, as transport planners count it (4.5 km/h), with the straight line lengthened by a third
# because streets are not straight: an estimate, said so on the page.
WALKING_METRES_PER_MINUTE = 75
DETOUR = 1.3


def walking_minutes(metres: float) -> int:
    return max(1, math.ceil(metres * DETOUR / WALKING_METRES_PER_MINUTE))


class TransitFeed(models.Model):
    """One imported feed: who publishes it, under which licence, and the area its stops cover."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    publisher = models.CharField(_("éditeur"), max_length=200)
    publisher_url = models.URLField(_("site de l'éditeur"), blank=True)
    version = models.CharField(_("version"), max_length=300, blank=True)
    valid_from = models.DateField(_("valable du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("importé le"))
    extent = models.PolygonField(_("emprise des arrêts"), srid=geo.WGS84, null=True, blank=True)

    class Meta:
        verbose_name = _("réseau de transport (GTFS)")
        verbose_name_plural = _("réseaux de transport (GTFS)")

    def __str__(self):
        return self.publisher


class TransitRoute(models.Model):
    class Mode(models.TextChoices):
        # The GTFS route_type codes (0-7, 11, 12), by name.
        TRAM = "TRAM", _("tramway")
        METRO = "METRO", _("métro")
        RAIL = "RAIL", _("train")
        BUS = "BUS", _("bus")
        FERRY = "FERRY", _("bateau")
        CABLE_TRAM = "CABLE_TRAM", _("tramway à câble")
        AERIAL_LIFT = "AERIAL_LIFT", _("téléphérique")
        FUNICULAR = "FUNICULAR", _("funiculaire")
        TROLLEYBUS = "TROLLEYBUS", _("trolleybus")
        MONORAIL = "MONORAIL", _("monorail")

    feed = models.ForeignKey(TransitFeed, on_delete=models.CASCADE, related_name="routes")
    gtfs_id = models.CharField(_("identifiant GTFS"), max_length=100)
    short_name = models.CharField(_("numéro"), max_length=50, blank=True)
    long_name = models.CharField(_("nom"), max_length=300, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    color = models.CharField(_("couleur"), max_length=6, blank=True)
    text_color = models.CharField(_("couleur du texte"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("ligne")
        verbose_name_plural = _("lignes")
        constraints = [
            models.UniqueConstraint(fields=["feed", "gtfs_id"], name="transit_route_unique_in_feed"),
            models.CheckConstraint(
                condition=Q(color__regex=r"^([0-9A-F]{6})?$"), name="transit_route_color_hex"
            ),
            models.CheckConstraint(
                condition=Q(text_color__regex=r"^([0-9A-F]{6})?$"), name="transit_route_text_color_hex"
            ),
        ]

    def __str__(self):
        return self.short_name or self.long_name


class TransitStopQuerySet(models.QuerySet):
    def near(self, point, *, metres: int = STOPS_WITHIN_METRES):
        """Within metres of the point, nearest first, with .distance: the spatial index narrows to a box."""
        return (
            self.filter(location__within=geo.bbox_around(point, metres / 1000))
            .filter(location__distance_lte=(point, D(m=metres)))
            .annotate(distance=Distance("location", point))
            .order_by("distance", "pk")
        )


class TransitStop(models.Model):
    feed = models.ForeignKey(TransitFeed, on_delete=models.CASCADE, related_name="stops")
    gtfs_id = models.CharField(_("identifiant GTFS"), max_length=100)
    name = models.CharField(_("nom"), max_length=200)
    location = models.PointField(_("position"), srid=geo.WGS84, spatial_index=True)
    routes = models.ManyToManyField(TransitRoute, related_name="stops", blank=True)

    objects = TransitStopQuerySet.as_manager()

    class Meta:
        verbose_name = _("arrêt")
        verbose_name_plural = _("arrêts")
        constraints = [
            models.UniqueConstraint(fields=["feed", "gtfs_id"], name="transit_stop_unique_in_feed")
        ]

    def __str__(self):
        return self.name


class StopNearby:
    """A stop name near a place, its platforms taken together: the nearest distance, every line calling."""

    def __init__(self, stop):
        self.name = stop.name
        self.location = stop.location
        self.metres = round(stop.distance.m)
        self.minutes = walking_minutes(stop.distance.m)
        self.routes = {}
        self.add(stop)

    def add(self, stop):
        for route in stop.routes.all():
            self.routes.setdefault((route.mode, route.short_name or route.long_name), route)

    @property
    def lines(self):
        return [route for _key, route in sorted(self.routes.items(), key=lambda item: natural_key(item[0]))]


def natural_key(key):
    mode, name = key
    return (mode, int(name) if name.isdigit() else float("inf"), name)


# At most this many platforms are read around a place: a dense city centre has a few dozen within 500 m.
NEARBY_PLATFORMS = 60


def transit_near(point) -> tuple[list[StopNearby], list[TransitFeed]]:
    """The stops within walking distance (by name, nearest first) and the feeds whose area covers the point,
    so that no stop can be told apart from no data."""
    if point is None:
        return [], []
    feeds = list(TransitFeed.objects.filter(extent__contains=point).order_by("publisher"))
    if not feeds:  # no network covers the place: no stop to look for (one query, not three)
        return [], []
    by_name: dict[str, StopNearby] = {}
    for stop in TransitStop.objects.near(point).prefetch_related("routes")[:NEARBY_PLATFORMS]:
        if stop.name in by_name:
            by_name[stop.name].add(stop)
        else:
            by_name[stop.name] = StopNearby(stop)
    return list(by_name.values()), feeds
