from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from config.spreadsheet import AllOrNothingResource
from professionals.models import Profession, Professional
from professionals.schema import EXPORT_COLUMNS


class ProfessionalResource(AllOrNothingResource):
    profession = fields.Field(
        column_name="profession", attribute="profession", widget=ForeignKeyWidget(Profession, field="code")
    )

    class Meta:
        model = Professional
        import_id_fields = ["rpps"]
        fields = EXPORT_COLUMNS  # professionals/schema.py
        export_order = fields
        skip_unchanged = True
        use_transactions = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        if not str(row.get("rpps") or "").strip():
            raise ValueError(_("Numéro RPPS manquant : il sert de clé pour mettre à jour sans doublon."))
