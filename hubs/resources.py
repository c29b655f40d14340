"""Staff CSV import and export (django-import-export): a preview with row errors, then confirm.

Rows are keyed by slug, so a re-import updates instead of duplicating. Coordinates are never guessed
from an address: a row without them is reported and the import refused until they are given.
A row that updates a hub carries the version it was exported at: if the hub was saved since, the row is
refused (re-export, then redo the change), as in the admin form.
"""

from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import CharWidget, ForeignKeyWidget, ManyToManyWidget

from config import geo
from config.spreadsheet import AllOrNothingResource
from districts.models import Territory
from hubs import services
from hubs.models import Hub, Service
from hubs.schema import EXPORT_COLUMNS


class OptionalCode(CharWidget):
    """A unique but optional number: none is NULL, not "" (or an unchanged re-import would count as a change)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None


class HubResource(AllOrNothingResource):
    version = fields.Field(column_name="version")
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
    finess = fields.Field(column_name="finess", attribute="finess", widget=OptionalCode())

    class Meta:
        model = Hub
        import_id_fields = ["slug"]
        fields = EXPORT_COLUMNS  # hubs/schema.py
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def dehydrate_version(self, hub):
        return hub.version

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

        version = str(row.get("version") or "").strip()
        row["_version"] = int(version) if version.isdigit() else None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.location = row["_location"]
        instance.expected_version = row["_version"]

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in ("lat", "lng", "version"):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def do_instance_save(self, instance, is_create):
        try:
            services.save_hub(instance, expected_version=None if is_create else instance.expected_version)
        except services.VersionConflict as conflict:
            raise ValueError(
                _("Ligne « %(slug)s » : %(message)s") % {"slug": instance.slug, "message": conflict}
            ) from None
