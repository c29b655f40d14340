from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from opendata.urls import page_urlpatterns as open_data_pages
from portal.urls import page_urlpatterns as portal_pages

# Machines' addresses first (API, FHIR, feeds, health check, sitemaps: one address whatever the language),
# then the pages for people: French at /hubs/…, English at /en/hubs/… (portal.middleware picks on a first visit).
urlpatterns = [
    path("", include("portal.urls")),
    path("", include("opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switcher's form posts here
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include(portal_pages)),
        path("", include(open_data_pages)),
        path("hubs/", include("hubs.urls")),
        path("professionals/", include("professionals.urls")),
        path("districts/", include("districts.urls")),
        path("programmes/", include("programmes.urls")),
        prefix_default_language=False,
    ),
]

handler500 = "portal.views.server_error"

admin.site.site_header = _("Annuaire des lieux de santé — administration")
admin.site.site_title = _("Lieux de santé")
