from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from opendata import api, views

router = DefaultRouter()
router.register("hubs", api.HubViewSet, basename="hub")
router.register("professionals", api.ProfessionalViewSet, basename="professional")
router.register("territories", api.TerritoryViewSet, basename="territory")
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("funders", api.FunderViewSet, basename="funder")

urlpatterns = [
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("fhir/metadata", views.fhir_metadata, name="fhir_metadata"),
    path("fhir/<str:resource_type>", views.fhir_search, name="fhir_search"),
    path("fhir/<str:resource_type>/<int:pk>", views.fhir_read, name="fhir_read"),
]
