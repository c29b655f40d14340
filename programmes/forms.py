from django import forms
from django.utils.translation import gettext_lazy as _

from districts.forms import PlaceField
from hubs.forms import HubField
from programmes.models import Beneficiary


class ProjectForm(forms.Form):
    """« Quels programmes pour mon projet ? » : where the project is, and who carries it."""

    for_territory = PlaceField(label=_("Le projet est situé à"), required=False)
    for_hub = HubField(label=_("ou concerne le lieu"), required=False)
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

    def catalogue_query(self) -> str:
        """The catalogue's query string listing what this project may apply for, for 'see them all'."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        query.update({"territory": self.territory().slug, "status": "OPEN"})
        if beneficiary := self.cleaned_data.get("for_beneficiary"):
            query["beneficiary"] = beneficiary.code
        return query.urlencode()

    def territory(self):
        data = self.cleaned_data
        return data.get("for_territory") or data["for_hub"].territory
