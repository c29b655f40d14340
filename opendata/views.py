from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.response import Response

from config.http import AnonymousThrottle
from opendata import catalogue, exports, fhir


def open_data(request):
    files = exports.latest()
    context = {
        "datasets": [(dataset, files.get(dataset.slug, [])) for dataset in catalogue.DATASETS],
        "licence": settings.OPEN_DATA_LICENCE,
        "dcat": catalogue.dcat(site(request), files),
    }
    return render(request, "opendata/open_data.html", context)


@require_safe
def export_file(request, name):
    """A whole-file export (nginx serves them itself in production: deploy/nginx)."""
    if not exports.FILE_NAME.match(name) or not (settings.EXPORTS_DIR / name).is_file():
        raise Http404
    path = settings.EXPORTS_DIR / name
    return FileResponse(path.open("rb"), as_attachment=True, content_type="application/gzip")


def open_data_dcat(request):
    return JsonResponse(
        catalogue.dcat(site(request), exports.latest()),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )


def fhir_response(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, content_type=fhir.MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def throttled(view):
    """The API's limit per anonymous client, on the FHIR answers too."""

    def checked(request, *args, **kwargs):
        throttle = AnonymousThrottle()
        if not throttle.allow_request(request, None):
            outcome = fhir.operation_outcome("Trop de requêtes : réessayez dans une minute.", "throttled")
            response = fhir_response(outcome, status=429)
            response["Retry-After"] = str(int(throttle.wait() or 60))
            return response
        return view(request, *args, **kwargs)

    return checked


def site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
@throttled
def fhir_metadata(request):
    return fhir_response(fhir.capability_statement(site(request)))


@require_safe
@throttled
def fhir_search(request, resource_type):
    spec = fhir.TYPES.get(resource_type)
    if spec is None:
        return fhir_response(
            fhir.operation_outcome(f"Type de ressource inconnu : {resource_type}.", "not-supported"), 404
        )
    try:
        records, count = fhir.search(spec, request.GET.dict())
    except fhir.SearchError as error:
        return fhir_response(fhir.operation_outcome(str(error)), 400)

    def next_url(after: int) -> str:
        query = request.GET.copy()
        query["_cursor"] = str(after)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    found = fhir.bundle(
        records,
        count,
        build=spec.build,
        base=site(request),
        self_url=request.build_absolute_uri(),
        next_url=next_url,
    )
    return fhir_response(found)


@require_safe
@throttled
def fhir_read(request, resource_type, pk):
    spec = fhir.TYPES.get(resource_type)
    record = spec and spec.records().filter(pk=pk).first()
    if record is None:
        return fhir_response(fhir.operation_outcome(f"{resource_type}/{pk} introuvable.", "not-found"), 404)
    return fhir_response(spec.build(record, site(request)))


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, built once per process and language (it only changes with the code).

    `?lang=` takes the site's languages only: drf-spectacular activates whatever it is given, and each made-up
    value left a translation catalogue behind in every worker.
    """

    built: dict = {}

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request, *args, **kwargs):
        asked = request.GET.get("lang")
        if asked and asked not in dict(settings.LANGUAGES):
            return Response(
                {"lang": [f"Langues disponibles : {', '.join(dict(settings.LANGUAGES))}."]}, status=400
            )
        language = asked or translation.get_language()
        if language not in self.built:
            with translation.override(language):
                self.built[language] = self._get_schema_response(request).data
        disposition = f'inline; filename="{self._get_filename(request, None)}"'
        return Response(self.built[language], headers={"Content-Disposition": disposition})
