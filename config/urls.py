from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

urlpatterns = [
    path("", include("portal.urls")),
    path("hubs/", include("hubs.urls")),
    path("professionals/", include("professionals.urls")),
    path("districts/", include("districts.urls")),
    path("programmes/", include("programmes.urls")),
    path("admin/", admin.site.urls),
    path("", include("opendata.urls")),
]

handler500 = "portal.views.server_error"

admin.site.site_header = _("Annuaire des lieux de santé — administration")
admin.site.site_title = _("Lieux de santé")
