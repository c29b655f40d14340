from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from portal import metrics, views
from portal.sitemaps import SITEMAPS

SITEMAP_CACHE_SECONDS = 3600

# No namespace: "home", "healthz" and "metrics" are the site's own names.
# For machines, one address whatever the language:
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
# Pages for people, in French and under /en/ in English (config/urls.py).
page_urlpatterns = [
    path("", views.home, name="home"),
    # Under /districts/ with the territory pages; served here because it lists hubs, an app above districts.
    path("districts/<slug:slug>/fiche/", views.territory_sheet, name="territory_sheet"),
    path("accessibilite/", views.legal_page, {"template": "accessibility"}, name="accessibility"),
    path("mentions-legales/", views.legal_page, {"template": "legal_notice"}, name="legal_notice"),
    path("donnees-personnelles/", views.legal_page, {"template": "personal_data"}, name="personal_data"),
]
