"""GeoJSON for the maps: a few hubs embedded in a page, or the compact collection of /hubs/map.geojson."""

import time

from django.core.cache import cache
from django.db.models import Avg, Count, F, Min
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone

from config import geo
from hubs.models import Hub


def hubs_geojson(hubs, *, open_ids=None, stops=()) -> dict:
    """hubs: Hub objects. open_ids: ids open now, when already known (else asked of each hub).
    stops: public transport stops to show with them (hubs.models.transit.StopNearby)."""
    now = timezone.now()
    features = [
        geo.feature(
            geo.point_geometry(lng=hub.location.x, lat=hub.location.y),
            {
                "name": hub.name,
                "kind": hub.get_kind_display(),
                "url": hub.get_absolute_url(),
                "open": hub.pk in open_ids if open_ids is not None else hub.is_open_at(now),
            },
        )
        for hub in hubs
        if hub.location is not None
    ]
    features += [
        geo.feature(
            geo.point_geometry(lng=stop.location.x, lat=stop.location.y),
            {
                "name": stop.name,
                "kind": ", ".join(
                    f"{line.get_mode_display()} {line.short_name or line.long_name}" for line in stop.lines
                ),
                "stop": True,
            },
        )
        for stop in stops
    ]
    return geo.feature_collection(features)


# Past this many hubs in view, the map gets grid clusters (a count per cell) instead of one point per hub:
# the answer stays small and fast whatever the size of the directory.
CLUSTER_ABOVE = 1500
NATIONAL_ZOOM = 5
CELLS_PER_TILE = 6  # a 256 px tile cut in 6: cells of about 40 px


MAP_CACHE_SECONDS = 60
MAP_VERSION_KEY = "hubs-map-version"


def map_version() -> int:
    """Part of every cached map answer's key: a hub write moves it on, so no stale map outlives an edit.

    A new version is a number never used before (the clock in nanoseconds), not 1: if a full cache culls
    the version key, answers cached under the old number must not come back.
    """
    return cache.get_or_set(MAP_VERSION_KEY, time.time_ns, None)


def forget_maps() -> None:
    cache.set(MAP_VERSION_KEY, time.time_ns(), None)


def map_geojson(hubs, *, zoom: int | None) -> dict:
    """Single hubs where they are few enough, grid clusters where they are not (a national view)."""
    located = hubs.filter(lng__isnull=False)  # lng, not location: the points index answers it
    if located.order_by()[: CLUSTER_ABOVE + 1].count() <= CLUSTER_ABOVE:  # stops counting past the limit
        return compact_geojson(located)
    return clustered_geojson(located, zoom=NATIONAL_ZOOM if zoom is None else zoom)


def clustered_geojson(hubs, *, zoom: int) -> dict:
    """A point per occupied grid cell (at the mean position of its hubs) with its count; lone hubs as hubs.

    Grouped in SQL by cell number (floor of longitude and latitude over the cell size): the same on PostGIS
    and SpatiaLite, and one row per cell, never one per hub.
    """
    size = 360 / 2**zoom / CELLS_PER_TILE
    cells = (
        hubs.annotate(column=Floor(F("lng") / size), row=Floor(F("lat") / size))
        .values("column", "row")
        .annotate(count=Count("pk"), mean_lng=Avg("lng"), mean_lat=Avg("lat"), first=Min("pk"))
        .order_by()
    )
    clusters, lone = [], []
    for cell in cells:
        if cell["count"] == 1:
            lone.append(cell["first"])
        else:
            point = geo.point_geometry(lng=cell["mean_lng"], lat=cell["mean_lat"])
            clusters.append(geo.feature(point, {"count": cell["count"]}))
    collection = compact_geojson(hubs.filter(pk__in=lone))
    collection["features"] += clusters
    collection["clustered"] = True
    return collection


def compact_geojson(hubs) -> dict:
    """Every hub of the queryset as a light point: 1,500 hubs are about 0.2 MB, 25 KB compressed.

    Shared once per collection rather than per feature: the kind labels (features carry an index) and the
    link pattern (features carry their id).
    """
    open_ids = set(hubs.open_at(timezone.now()).values_list("pk", flat=True))
    kind_index = {value: index for index, value in enumerate(Hub.Kind.values)}
    rows = hubs.filter(lng__isnull=False).values_list("pk", "name", "kind", "lng", "lat")
    features = [
        geo.feature(
            geo.point_geometry(lng=lng, lat=lat),
            {"name": name, "kind": kind_index[kind], **({"open": True} if pk in open_ids else {})},
            id=pk,
        )
        for pk, name, kind, lng, lat in rows
    ]
    return geo.feature_collection(
        features,
        kinds=[str(label) for label in Hub.Kind.labels],
        url=reverse("hubs:by_id", args=[0]).replace("/0/", "/{id}/"),
    )
