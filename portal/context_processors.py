from django.core.cache import caches

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
