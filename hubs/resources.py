"""Staff CSV import and export (django-import-export): a preview with row errors, then confirm.

Rows are keyed by slug, so a re-import updates instead of duplicating. Coordinates are never guessed
from an address: a row without them is reported and the import refused until they are given.
"""

from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats.base_formats import CSV
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from config import geo
from districts.models import Territory
from hubs.models import Hub, Service


class SemicolonOrCommaCSV(CSV):
    """French spreadsheets write ';', others ','. The header line tells which."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode("utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        first_line = text.split("\n", 1)[0]
        kwargs["delimiter"] = ";" if first_line.count(";") > first_line.count(",") else ","
        return super().create_dataset(text, **kwargs)


def import_formats():
    return [SemicolonOrCommaCSV]


class AllOrNothingResource(resources.ModelResource):
    """An import with any bad row, invalid value included, writes nothing."""

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)


class HubResource(AllOrNothingResource):
    lat = fields.Field(column_name="lat")
    lng = fields.Field(column_name="lng")
    services = fields.Field(
        column_name="services",
        attribute="services",
        widget=ManyToManyWidget(Service, field="slug", separator="|"),
    )
    territory = fields.Field(
        column_name="territory", attribute="territory", widget=ForeignKeyWidget(Territory, field="slug")
    )

    class Meta:
        model = Hub
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "kind", "status", "street", "postcode", "city", "lat", "lng", "territory", "phone",
            "email", "website", "services", "tiers_payant", "accepting_new_patients", "accepting_as_of",
            "wheelchair_access", "languages", "published", "finess",
        ]  # fmt: skip
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def dehydrate_lat(self, hub):
        return "" if hub.location is None else round(hub.location.y, 6)

    def dehydrate_lng(self, hub):
        return "" if hub.location is None else round(hub.location.x, 6)

    def before_import_row(self, row, **kwargs):
        lat, lng = (
            str(row.get("lat") or "").strip().replace(",", "."),
            str(row.get("lng") or "").strip().replace(",", "."),
        )
        if not lat or not lng:
            raise ValueError(
                _("Coordonnées manquantes (lat, lng) : une adresse n'est jamais placée au hasard.")
            )
        try:
            row["_location"] = geo.point(lat=float(lat), lng=float(lng))
        except ValueError:
            raise ValueError(
                _("Coordonnées invalides : lat %(lat)s, lng %(lng)s.") % {"lat": lat, "lng": lng}
            ) from None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.location = row["_location"]

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in ("lat", "lng"):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)
