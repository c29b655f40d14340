"""District outlines for the choropleth: simplified, rounded, cached."""

from django.core.cache import cache

from config.geo import as_multipolygon
from districts import stats
from districts.models import Territory

CACHE_KEY = "districts-geojson"
CACHE_SECONDS = 300
SIMPLIFY_DEGREES = 0.0001  # about 10 m: invisible at city zoom, divides the size several times
COORDINATE_DECIMALS = 5


def _rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(c, COORDINATE_DECIMALS) for c in coordinates]
    return [_rounded(c) for c in coordinates]


def outline(boundary) -> dict:
    """A boundary as a light GeoJSON geometry: simplified (each ring's topology kept) and rounded."""
    shape = as_multipolygon(boundary.simplify(SIMPLIFY_DEGREES, preserve_topology=True))
    return {"type": "MultiPolygon", "coordinates": _rounded(shape.coords)}


def districts_geojson() -> dict:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    territories = list(
        Territory.objects.districts()
        .filter(boundary__isnull=False)
        .select_related("parent")
        .order_by("name", "pk")
    )
    figures = stats.official_figures(
        {t.pk for t in territories} | {t.parent_id for t in territories}, gp_only=True
    )
    counts = stats.directory_counts()
    features = []
    for territory in territories:
        parent_sources = [f.source for f in figures.get(territory.parent_id, [])]
        official = stats.comparable(figures.get(territory.pk, []), parent_sources)
        features.append(
            {
                "type": "Feature",
                "geometry": outline(territory.boundary),
                "properties": {
                    "name": territory.name,
                    "slug": territory.slug,
                    "url": territory.get_absolute_url(),
                    "parent": territory.parent.name if territory.parent else "",
                    "gp_official": float(official.per_10k) if official else None,
                    "gp_official_source": f"{official.source}, {official.year or 'année non précisée'}"
                    if official
                    else "",
                    "gp_computed": stats.per_10k(counts.gps(territory.pk), territory.population),
                    "priority_area": territory.is_priority_area,
                },
            }
        )
    data = {"type": "FeatureCollection", "features": features}
    cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def forget_districts_geojson(**kwargs):
    cache.delete(CACHE_KEY)
