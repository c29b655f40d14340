"""District outlines for the choropleth: simplified, rounded, cached."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from config import geo
from districts import stats
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
