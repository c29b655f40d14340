"""Lon/lat in one place: Leaflet and humans speak (lat, lng), GEOS speaks (x=lon, y=lat)."""

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

WGS84 = 4326


def point(*, lat: float, lng: float) -> Point:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(f"({lat}, {lng}) is not a latitude/longitude pair")
    return Point(float(lng), float(lat), srid=WGS84)


def as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    """Boundaries are stored as MultiPolygons; sources mix Polygons and MultiPolygons."""
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry)
    if not isinstance(geometry, MultiPolygon):
        raise ValueError(f"a {geometry.geom_type} is not a polygon")
    if geometry.srid is None:
        geometry.srid = WGS84
    return geometry
