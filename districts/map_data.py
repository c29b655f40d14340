"""District outlines for the choropleth: simplified, rounded, cached."""

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import Polygon
from django.core.cache import cache
from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from config import geo
from districts import stats
from districts.grid import PopulationCell
from districts.models import Territory

CACHE_KEY = "districts-geojson"
CACHE_SECONDS = 300


def districts_geojson() -> dict:
    cached = cache.get(cache_key())
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
    counts = stats.directory_counts(t.pk for t in territories)
    features = []
    for territory in territories:
        parent_sources = [f.source for f in figures.get(territory.parent_id, [])]
        official = stats.comparable(figures.get(territory.pk, []), parent_sources)
        features.append(
            geo.feature(
                geo.outline(territory.boundary),
                {
                    "name": territory.name,
                    "slug": territory.slug,
                    "url": territory.get_absolute_url(),
                    "parent": territory.parent.name if territory.parent else "",
                    "gp_official": float(official.per_10k) if official else None,
                    "gp_official_source": f"{official.source}, {official.year or _('année non précisée')}"
                    if official
                    else "",
                    "gp_computed": stats.per_10k(counts[territory.pk].gps, territory.population),
                    "priority_area": territory.is_priority_area,
                },
            )
        )
    data = geo.feature_collection(features)
    cache.set(cache_key(), data, CACHE_SECONDS)
    return data


def cache_key(language: str | None = None) -> str:
    # Links and words are in the page's language: one answer per language.
    return f"{CACHE_KEY}:{language or translation.get_language()}"


def forget_districts_geojson(**kwargs):
    cache.delete_many([cache_key(code) for code, _name in settings.LANGUAGES])


# The access map (cells coloured by straight-line distance to the nearest GP hub): viridis, colour-blind safe,
# darkest where the nearest GP is farthest. The last class also takes the cells with none within 20 km.
DISTANCE_CLASSES = [
    (0, 500, "#fde725"),
    (500, 1000, "#35b779"),
    (1000, 2000, "#31688e"),
    (2000, None, "#440154"),
]
MAX_SQUARES = 3000  # past this many 200 m cells, squares of 1, 2, 5 or 10 km: the answer stays small
SQUARE_SIZES = (200, 1000, 2000, 5000, 10_000)


def distance_class(metres) -> int:
    if metres is None:
        return len(DISTANCE_CLASSES) - 1
    return next(i for i, (low, high, _colour) in enumerate(DISTANCE_CLASSES) if high is None or metres < high)


def cells_geojson(territory, *, distances: bool = True) -> dict:
    """The territory's populated squares with their residents and population-weighted distance to a GP hub,
    at the finest size that keeps the answer under MAX_SQUARES features (grouped in the database). Without
    `distances` (the directory is not known to list every GP there) the squares say only who lives where."""
    cells = PopulationCell.objects.filter(location__within=territory.boundary)
    count = cells.count()
    size = next((s for s in SQUARE_SIZES if count * (200 / s) ** 2 <= MAX_SQUARES), SQUARE_SIZES[-1])
    far = 20_001  # "none within 20 km" weighs as just beyond
    squares = (
        cells.annotate(e=F("east") / size * size, n=F("north") / size * size)
        .values("e", "n")
        .annotate(
            people=Sum("population"),
            weighted=Sum(Cast(Coalesce("gp_metres", far), FloatField()) * F("population")),
        )
        .order_by("e", "n")
    )
    to_wgs84 = CoordTransform(SpatialReference(3035), SpatialReference(geo.WGS84))
    features = []
    for square in squares:
        box = Polygon.from_bbox((square["e"], square["n"], square["e"] + size, square["n"] + size))
        box.srid = 3035
        box.transform(to_wgs84)
        metres = round(square["weighted"] / square["people"]) if square["people"] and distances else None
        features.append(
            geo.feature(
                {"type": "Polygon", "coordinates": geo.rounded(box.coords)},
                {
                    "people": round(square["people"]),
                    "metres": metres,
                    "class": distance_class(metres) if distances else None,
                },
            )
        )
    return geo.feature_collection(
        features, size=size, distances=distances, classes=[c for *_, c in DISTANCE_CLASSES]
    )
