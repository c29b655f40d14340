"""The read-only public API under /api/v1/: the pages' own filters, pages by cursor, JSON, GeoJSON and CSV.

Pages are cursors over the id (`?cursor=…` from the `next` link): page 2,000 costs what page 1 costs, and a
harvester walking the whole directory sees each record once even while it changes. No total is counted.
"""

import io

import django_filters
from django.db.models import Prefetch
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import set_override
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from config.http import record_id
from config.spreadsheet import write_rows
from districts.forms import PlaceFilter
from districts.models import DensityFigure, Territory
from hubs.filters import HubFilter
from hubs.models import Hub
from opendata import serializers
from professionals.filters import ProfessionalFilter
from professionals.models import Membership, Professional
from programmes.filters import ProgrammeFilter
from programmes.models import Funder, Funding, SupportProgramme

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100  # 200 cost ~235 ms at demo scale: a cheap way to load the server under the anonymous rate


def modified_since():
    return django_filters.IsoDateTimeFilter(
        label=_("Modifié depuis (ISO 8601, par exemple 2026-11-01T00:00:00+01:00)"),
        field_name="updated_at",
        lookup_expr="gte",
    )


class HubApiFilter(HubFilter):
    modified_since = modified_since()


class ProfessionalApiFilter(ProfessionalFilter):
    modified_since = modified_since()


class ProgrammeApiFilter(ProgrammeFilter):
    modified_since = modified_since()


class TerritoryApiFilter(django_filters.FilterSet):
    level = django_filters.MultipleChoiceFilter(
        label=_("Niveau"), choices=Territory.Level.choices, distinct=False
    )
    within = PlaceFilter(label=_("Sous ce territoire (identifiant d'URL ou nom)"), method="filter_within")
    priority_area = django_filters.BooleanFilter(
        label=_("Quartier prioritaire"), field_name="is_priority_area"
    )
    modified_since = modified_since()

    class Meta:
        model = Territory
        fields = ["level", "within", "priority_area", "modified_since"]

    def filter_within(self, queryset, name, territory):
        return queryset.filter(pk__in=Territory.objects.within(territory).values("pk"))


class FunderApiFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type de financeur"), choices=Funder.Kind.choices, distinct=False
    )

    class Meta:
        model = Funder
        fields = ["kind"]


# The pages' filters that pick records by slug, code or name are plain strings in the schema (drf-spectacular
# cannot tell from a filter with its own method, or choices read from the database when asked).
for filterset in (HubApiFilter, ProfessionalApiFilter, ProgrammeApiFilter, TerritoryApiFilter):
    for filter_field in filterset.base_filters.values():
        if isinstance(filter_field, (django_filters.ModelMultipleChoiceFilter, PlaceFilter)) or callable(
            filter_field.extra.get("choices")
        ):
            set_override(filter_field, "field", OpenApiTypes.STR)


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class CSVRenderer(BaseRenderer):
    """Every CSV through config/spreadsheet: ';', UTF-8 with a BOM, no cell a spreadsheet runs as a formula."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = renderer_context["view"]
        header = list(view.get_serializer().fields)
        rows = data if isinstance(data, list) else [data]
        stream = io.StringIO()
        stream.write("\ufeff")
        write_rows(stream, [header, *([self.cell(row.get(name)) for name in header] for row in rows)])
        return stream.getvalue().encode("utf-8")

    @staticmethod
    def cell(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return value


class IdCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request):
        # DRF checks a cursor's form, not its position: "p=abc" (or a 30-digit id) reached the database.
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor is not None else None
        if position is not None and record_id(position) is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def get_paginated_response(self, data):
        links = {"next": self.get_next_link(), "prev": self.get_previous_link()}
        headers = {"Link": ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)}
        answer_format = self.request.accepted_renderer.format
        if answer_format == GeoJSONRenderer.format:
            # GeoJSON readers ignore members they do not know; OGC API Features names its links this way.
            data["links"] = [
                {"href": url, "rel": rel, "type": GeoJSONRenderer.media_type}
                for rel, url in links.items()
                if url
            ]
            return Response(data, headers=headers)
        if answer_format == CSVRenderer.format:  # the links are in the header only
            return Response(data, headers=headers)
        return Response({"next": links["next"], "previous": links["prev"], "results": data}, headers=headers)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only, paged by cursor; `serializers` gives each format its own serializer."""

    pagination_class = IdCursorPagination
    renderer_classes = [JSONRenderer, CSVRenderer]
    serializer_classes: dict = {}
    lookup_value_regex = r"[-\w]+"
    by_slug = True

    def get_serializer_class(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return self.serializer_classes.get(
            renderer.format if renderer else "json", self.serializer_classes["json"]
        )

    def get_object(self):
        """By numeric id or by slug: both are stable identifiers."""
        value = self.kwargs[self.lookup_field]
        if value.isdigit() and record_id(value) is None:
            raise NotFound
        self.lookup_field = "pk" if value.isdigit() or not self.by_slug else "slug"
        self.kwargs[self.lookup_field] = value
        self.record = super().get_object()
        return self.record

    def handle_exception(self, exc):
        # Whatever format was asked for, errors are JSON naming what was wrong.
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


def with_last_modified(view, response):
    """A record whose `updated_at` covers all it shows tells when it changed: If-Modified-Since gets a 304.

    Lists answer with an ETag only: a record leaving a list (unpublished, deleted) would not change the
    newest date of the records still in it.
    """
    record = getattr(view, "record", None)
    if response.status_code == 200 and record is not None:
        response["Last-Modified"] = http_date(record.updated_at.timestamp())
    return response


class HubViewSet(PublicViewSet):
    """Published hubs: address, position, hours, services, accessibility, tiers payant, new patients."""

    queryset = Hub.objects.published().for_listing()
    filterset_class = HubApiFilter
    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]
    serializer_classes = {
        "json": serializers.HubSerializer,
        "geojson": serializers.HubFeatureSerializer,
        "csv": serializers.HubRowSerializer,
    }

    def finalize_response(self, request, response, *args, **kwargs):
        return with_last_modified(self, super().finalize_response(request, response, *args, **kwargs))


class ProfessionalViewSet(PublicViewSet):
    """Professionals the public pages list (active, practising in a published hub): public fields only."""

    queryset = (
        Professional.objects.public()
        .select_related("profession")
        .prefetch_related(
            Prefetch(
                "memberships",
                Membership.objects.public()
                .select_related("hub")
                .only("professional_id", "role", "hub__id", "hub__slug", "hub__name"),
                to_attr="public_memberships",
            )
        )
    )
    filterset_class = ProfessionalApiFilter
    by_slug = False

    def finalize_response(self, request, response, *args, **kwargs):
        # Where they practise is part of the record: a membership change touches `updated_at` (hubs/counts.py).
        return with_last_modified(self, super().finalize_response(request, response, *args, **kwargs))

    serializer_classes = {
        "json": serializers.ProfessionalSerializer,
        "csv": serializers.ProfessionalRowSerializer,
    }


class TerritoryViewSet(PublicViewSet):
    """Quartiers, communes and larger territories: official densities (source, year) and computed ones."""

    queryset = (
        Territory.objects.select_related("parent", "access")
        .defer("parent__boundary")
        .prefetch_related(
            Prefetch("densities", DensityFigure.objects.select_related("profession")), "apl_figures"
        )
    )
    filterset_class = TerritoryApiFilter
    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]
    serializer_classes = {
        "json": serializers.TerritorySerializer,
        "geojson": serializers.TerritoryFeatureSerializer,
        "csv": serializers.TerritoryRowSerializer,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        renderer = getattr(self.request, "accepted_renderer", None)
        return queryset if renderer and renderer.format == "geojson" else queryset.defer("boundary")


class ProgrammeViewSet(PublicViewSet):
    """Support programmes with their funders, territories, and the support they gave published hubs."""

    queryset = SupportProgramme.objects.for_listing().prefetch_related(
        "beneficiaries",
        Prefetch(
            "fundings",
            Funding.objects.public().select_related("hub").order_by("-year", "pk"),
            to_attr="public_fundings",
        ),
    )
    filterset_class = ProgrammeApiFilter
    serializer_classes = {"json": serializers.ProgrammeSerializer, "csv": serializers.ProgrammeRowSerializer}


class FunderViewSet(PublicViewSet):
    queryset = Funder.objects.all()
    filterset_class = FunderApiFilter
    serializer_classes = {"json": serializers.FunderSerializer, "csv": serializers.FunderSerializer}
