"""GeoJSON for the maps, built in Python so it is the same on PostGIS and SpatiaLite."""

from django.utils import timezone

COORDINATE_DECIMALS = 5  # about 1 m: enough for a marker, and it keeps responses small


def hubs_geojson(hubs, *, open_ids=None) -> dict:
    """hubs: Hub objects. open_ids: ids open now, when already known (else asked of each hub)."""
    now = timezone.now()
    features = []
    for hub in hubs:
        if hub.location is None:
            continue
        is_open = hub.pk in open_ids if open_ids is not None else hub.is_open_at(now)
        features.append(
            feature(hub.location, hub.name, hub.get_kind_display(), hub.get_absolute_url(), is_open)
        )
    return {"type": "FeatureCollection", "features": features}


def feature(location, name, kind_label, url, is_open) -> dict:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(location.x, COORDINATE_DECIMALS), round(location.y, COORDINATE_DECIMALS)],
        },
        "properties": {"name": name, "kind": kind_label, "url": url, "open": is_open},
    }
