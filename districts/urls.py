from django.urls import path

from districts import views

app_name = "districts"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("compare/", views.territory_compare, name="compare"),
    path("map.geojson", views.territory_map_data, name="map_data"),
    path("suggest/", views.territory_suggest, name="suggest"),
    path("<slug:slug>/", views.territory_detail, name="detail"),
    path("<slug:slug>/carreaux.geojson", views.territory_cells, name="cells"),
]
