from django.urls import path

import config.http  # noqa: F401 (registers the <id:…> converter)
from hubs import views

app_name = "hubs"
urlpatterns = [
    path("", views.hub_list, name="list"),
    path("compare/", views.hub_compare, name="compare"),
    path("map.geojson", views.hub_map_data, name="map_data"),
    path("suggest/", views.hub_suggest, name="suggest"),
    path("id/<id:pk>/", views.hub_by_id, name="by_id"),
    path("<slug:slug>/", views.hub_detail, name="detail"),
    path("<slug:slug>/signaler/", views.hub_report, name="report"),
    path("<slug:slug>/confirmer/<str:token>/", views.hub_confirm, name="confirm"),
]
