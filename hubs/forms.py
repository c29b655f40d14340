from django import forms
from django.utils.translation import gettext_lazy as _

from config import geo
from config.text import NamedRecordField
from hubs.models import CorrectionRequest, Hub


class HubField(NamedRecordField):
    """A published hub typed by its name (or given by its slug in a link)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Hub.objects.published().only("pk", "name", "slug", "territory", "city"),
            suggest_url="hubs:suggest",
            **kwargs,
        )

    def label_of(self, hub) -> str:
        return hub.name


class PositionForm(forms.Form):
    """A resident's position (from "Autour de moi" or a click on the map): both coordinates or neither.

    Django's FloatField already refuses inf and nan.
    """

    lat = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lng = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Une position a besoin d'une latitude et d'une longitude."))
        return data

    def point(self):
        data = self.cleaned_data
        if data.get("lat") is None or data.get("lng") is None:
            return None
        return geo.point(lat=data["lat"], lng=data["lng"])


class CompareHubsForm(PositionForm):
    MIN, MAX = 2, 3

    hub = forms.Field(label=_("Lieux à comparer"), required=False, widget=forms.MultipleHiddenInput)

    def clean_hub(self):
        slugs = list(dict.fromkeys(self.data.getlist("hub")))  # repeated slugs count once
        if not self.MIN <= len(slugs) <= self.MAX:
            raise forms.ValidationError(
                _("Choisissez 2 ou 3 lieux à comparer (vous en avez choisi %(count)d)."),
                params={"count": len(slugs)},
            )
        known = set(Hub.objects.published().filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise forms.ValidationError(
                _("Lieu inconnu : %(slugs)s."), params={"slugs": ", ".join(s[:60] for s in unknown)}
            )
        return slugs

    @classmethod
    def from_query(cls, query):
        data = query.copy()
        data.setlist("hub", [slug for slug in query.getlist("hub") if slug][:10])
        return cls(data)


class CorrectionForm(forms.ModelForm):
    """The public "signaler une erreur" form. `website` is a honeypot: people leave it empty, bots fill it."""

    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False, max_length=200)

    class Meta:
        model = CorrectionRequest
        fields = ["message", "contact", "notify"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        labels = {"notify": _("Prévenez-moi par courriel quand c'est traité (un seul message)")}
        help_texts = {
            "message": _(
                "Par exemple : le numéro de téléphone a changé, le lieu n'accepte plus de nouveaux patients."
            ),
            "contact": _(
                "Une adresse ou un téléphone si vous acceptez qu'on vous recontacte. Jamais publié."
            ),
        }

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 5:
            raise forms.ValidationError(_("Décrivez l'erreur en quelques mots."))
        return message

    def clean(self):
        data = super().clean()
        if data.get("notify") and "@" not in (data.get("contact") or ""):
            self.add_error("contact", _("Pour être prévenu, indiquez une adresse électronique."))
        return data

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
