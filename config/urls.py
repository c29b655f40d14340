from django.contrib import admin
from django.urls import include, path

from hubs import views as hub_views

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("healthz", hub_views.healthz, name="healthz"),
    path("hubs/", include("hubs.urls")),
    path("professionals/", include("professionals.urls")),
    path("districts/", include("districts.urls")),
    path("programmes/", include("programmes.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Annuaire des lieux de santé — administration"
admin.site.site_title = "Lieux de santé"
