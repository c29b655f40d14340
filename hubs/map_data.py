"""GeoJSON for the maps, built in Python so it is the same on PostGIS and SpatiaLite."""

from django.utils.translation import gettext as _

COORDINATE_DECIMALS = 5  # about 1 m: enough for a marker, and it keeps responses small


def hub_feature(hub) -> dict:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [
                round(hub.location.x, COORDINATE_DECIMALS),
                round(hub.location.y, COORDINATE_DECIMALS),
            ],
        },
        "properties": {
            "name": hub.name,
            "kind": hub.get_kind_display(),
            "url": hub.get_absolute_url(),
            "address": hub.full_address,
        },
    }


def hubs_geojson(hubs) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [hub_feature(h) for h in hubs if h.location is not None],
        "labels": {"more": _("Voir la fiche")},
    }
