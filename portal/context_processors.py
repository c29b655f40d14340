from django.conf import settings
from django.core.cache import caches
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from hubs.models import Hub
from professionals.models import Professional

DEMO_CACHE_KEY = "demo-data-present"


def demo_notice(request):
    """Every page says so while the directory holds invented demo values."""
    cache = caches["local"]  # a minute per process is fine for a notice
    present = cache.get(DEMO_CACHE_KEY)
    if present is None:
        present = (
            Hub.objects.filter(is_demo=True).exists() or Professional.objects.filter(is_demo=True).exists()
        )
        cache.set(DEMO_CACHE_KEY, present, 60)
    return {"demo_data_present": present}


def languages(request):
    """The page in each language (hreflang links, the switcher), and the words the scripts write on the page."""
    labels = {
        "open": _("Ouvert maintenant"),
        "closed": _("Fermé maintenant"),
        "details": _("Voir la fiche"),
        "no_position": _("Position indisponible"),
        # The access map's popups (static/js/cells.js): "{n}" and "{d}" are filled in there.
        "residents": _("{n} habitants"),
        "nearest_gp": _("Médecin généraliste le plus proche : {d}"),
        "farther_than_20_km": _("plus de 20 km"),
    }
    versions = [(code, translate_url(request.path, code)) for code, _name in settings.LANGUAGES]
    if len({path for _code, path in versions}) < len(versions):  # a page in one language only
        return {"page_languages": [], "ui_labels": labels}
    return {
        "page_languages": [
            {
                # Each language in its own words: "English" on French pages, "Français" on English ones.
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "url": request.build_absolute_uri(path),
            }
            for code, path in versions
        ],
        "ui_labels": labels,
    }
