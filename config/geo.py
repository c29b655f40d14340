"""Lon/lat in one place: Leaflet and humans speak (lat, lng), GEOS speaks (x=lon, y=lat)."""

import math

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WGS84 = 4326
KM_PER_DEGREE_LAT = 111.32


def is_lat_lng(lat: float, lng: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def point(*, lat: float, lng: float) -> Point:
    if not is_lat_lng(lat, lng):
        raise ValueError(f"({lat}, {lng}) is not a latitude/longitude pair")
    return Point(float(lng), float(lat), srid=WGS84)


def validate_wgs84(geometry: GEOSGeometry) -> None:
    """Every coordinate a real longitude and latitude.

    Checked before a geometry reaches the database: SpatiaLite crashes on coordinates like 1e300.
    """
    if geometry is None:
        return
    if geometry.srid not in (None, WGS84):
        raise ValidationError(_("Les coordonnées doivent être en WGS 84 (longitude, latitude)."))
    if geometry.empty:
        raise ValidationError(_("La géométrie est vide."))
    west, south, east, north = geometry.extent
    if not (is_lat_lng(south, west) and is_lat_lng(north, east)):
        raise ValidationError(
            _(
                "Coordonnées hors limites : la longitude va de -180 à 180 et la latitude de -90 à 90 "
                "(reçu de %(west).6g, %(south).6g à %(east).6g, %(north).6g)."
            ),
            params={"west": west, "south": south, "east": east, "north": north},
            code="out_of_range",
        )


def as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    """Boundaries are stored as MultiPolygons; sources mix Polygons and MultiPolygons."""
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry)
    if not isinstance(geometry, MultiPolygon):
        raise ValueError(f"a {geometry.geom_type} is not a polygon")
    if geometry.srid is None:
        geometry.srid = WGS84
    return geometry


def bbox_around(point, km: float) -> Polygon:
    """A box that holds the circle: the spatial index narrows to it before exact distances."""
    dlat = km / KM_PER_DEGREE_LAT
    dlng = km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(point.y)), 0.01))
    return Polygon.from_bbox((point.x - dlng, point.y - dlat, point.x + dlng, point.y + dlat))


# GeoJSON (RFC 7946: longitude first), built in Python so it is the same on PostGIS and SpatiaLite.
COORDINATE_DECIMALS = 5  # about 1 m: enough for a marker or an outline, and it keeps responses small
SIMPLIFY_DEGREES = 0.0001  # about 10 m: invisible at city zoom, divides an outline's size several times


def rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(c, COORDINATE_DECIMALS) for c in coordinates]
    return [rounded(c) for c in coordinates]


def point_geometry(*, lng: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": rounded([lng, lat])}


def outline(boundary: GEOSGeometry) -> dict:
    """A boundary as a light GeoJSON geometry: simplified (each ring's topology kept) and rounded."""
    shape = as_multipolygon(boundary.simplify(SIMPLIFY_DEGREES, preserve_topology=True))
    return {"type": "MultiPolygon", "coordinates": rounded(shape.coords)}


def feature(geometry: dict, properties: dict, *, id: int | None = None) -> dict:  # noqa: A002 (GeoJSON's name)
    found = {"type": "Feature", "geometry": geometry, "properties": properties}
    if id is not None:
        found["id"] = id
    return found


def feature_collection(features: list[dict], **members) -> dict:
    """members: what the whole collection shares (kind labels, a link pattern), sent once, not per feature."""
    return {"type": "FeatureCollection", **members, "features": features}
