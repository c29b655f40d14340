from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

import config.http  # noqa: F401 (registers the <id:…> converter)
from access.views import what_if_api
from opendata import api, feeds, views

router = DefaultRouter()
router.register("hubs", api.HubViewSet, basename="hub")
router.register("professionals", api.ProfessionalViewSet, basename="professional")
router.register("territories", api.TerritoryViewSet, basename="territory")
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("funders", api.FunderViewSet, basename="funder")

urlpatterns = [
    path("api/v1/access/what-if", what_if_api, name="api_what_if"),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", views.SchemaView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("donnees/catalogue.jsonld", views.open_data_dcat, name="open_data_dcat"),
    path("exports/<str:name>", views.export_file, name="open_data_export"),
    path("programmes/feed.atom", feeds.ProgrammesFeed(), name="programmes_feed"),
    path("programmes/deadlines.ics", feeds.deadlines_calendar, name="deadlines_calendar"),
    path("districts/<slug:slug>/programmes.atom", feeds.ProgrammesFeed(), name="territory_programmes_feed"),
    path("districts/<slug:slug>/changes.atom", feeds.HubChangesFeed(), name="territory_changes_feed"),
    path("fhir/metadata", views.fhir_metadata, name="fhir_metadata"),
    path("fhir/<str:resource_type>", views.fhir_search, name="fhir_search"),
    path("fhir/<str:resource_type>/<id:pk>", views.fhir_read, name="fhir_read"),
]
# Pages for people, in French at /donnees/ and in English at /en/donnees/ (config/urls.py).
page_urlpatterns = [path("donnees/", views.open_data, name="open_data")]
