from django import forms
from django.utils.translation import gettext_lazy as _

from districts.models import Territory
from hubs.models import Hub
from programmes.models import Beneficiary


class ProjectForm(forms.Form):
    """« Quels programmes pour mon projet ? » : where the project is, and who carries it."""

    for_territory = forms.ModelChoiceField(
        label=_("Le projet est situé à"),
        queryset=Territory.objects.defer("boundary"),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("Ce territoire n'existe pas.")},
    )
    for_hub = forms.ModelChoiceField(
        label=_("ou concerne le lieu"),
        queryset=Hub.objects.published().only("pk", "name", "slug", "territory"),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("Ce lieu n'existe pas.")},
    )
    for_beneficiary = forms.ModelChoiceField(
        label=_("Le projet est porté par"),
        queryset=Beneficiary.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("peu importe"),
        error_messages={"invalid_choice": _("Ce type de porteur n'existe pas.")},
    )

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("for_territory") is None and data.get("for_hub") is None:
            raise forms.ValidationError(_("Choisissez un territoire ou un lieu."))
        hub = data.get("for_hub")
        if data.get("for_territory") is None and hub is not None and hub.territory_id is None:
            raise forms.ValidationError(_("Ce lieu n'est rattaché à aucun territoire."))
        return data

    def territory(self):
        data = self.cleaned_data
        return data.get("for_territory") or data["for_hub"].territory
