from django import forms
from django.utils.translation import gettext_lazy as _

from districts.forms import PlaceField
from districts.models import Territory


class WhatIfForm(forms.Form):
    """A point (a click on the map fills it), or a quartier or commune without one; and a number of GPs."""

    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    around = PlaceField(
        label=_("Quartier ou commune"),
        required=False,
        queryset=Territory.objects.filter(access__isnull=False),
        help_text=_("Sans point choisi : les 5 meilleurs emplacements du territoire."),
    )
    gps = forms.IntegerField(
        label=_("Médecins généralistes du nouveau centre"), min_value=1, max_value=30, initial=2
    )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Donnez la latitude et la longitude, ou aucune des deux."))
        return data

    def point(self):
        data = self.cleaned_data
        return (data["lat"], data["lng"]) if data.get("lat") is not None else None
