from django import forms
from django.utils.translation import gettext_lazy as _

from districts.models import Territory

SORTS = {
    "name": _("nom"),
    "population": _("population"),
    "official": _("densité officielle de généralistes"),
    "computed": _("densité calculée de généralistes"),
    "hubs": _("nombre de lieux"),
}


class TerritorySortForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=list(SORTS.items())
        + [(f"-{key}", _("%(label)s (décroissant)") % {"label": label}) for key, label in SORTS.items()],
    )


class CompareForm(forms.Form):
    MIN, MAX = 2, 4

    territory = forms.ModelMultipleChoiceField(
        label=_("Territoires à comparer"),
        queryset=Territory.objects.all(),
        to_field_name="slug",
        error_messages={
            "invalid_choice": _("« %(value)s » n'est pas un territoire connu."),
            "required": _("Choisissez de 2 à 4 territoires."),
        },
    )

    def clean_territory(self):
        chosen = self.cleaned_data["territory"]
        if not self.MIN <= len(chosen) <= self.MAX:
            raise forms.ValidationError(
                _("Choisissez de %(min)d à %(max)d territoires (vous en avez choisi %(count)d)."),
                params={"min": self.MIN, "max": self.MAX, "count": len(chosen)},
            )
        return chosen

    @classmethod
    def from_query(cls, query):
        """Empty picker values ("add a territory: —") are not a choice."""
        data = query.copy()
        data.setlist("territory", [slug for slug in query.getlist("territory") if slug][:20])
        return cls(data)
