import re

import django_filters
from django import forms
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from config.text import NamedRecordField
from districts.models import Territory

LEVEL_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<level>[^()]+)\)$")


class PlaceField(NamedRecordField):
    """A territory typed as "Le Blosne", "Le Blosne (Quartier ou commune)" (what suggestions offer) or its slug."""

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(
            queryset=(queryset if queryset is not None else Territory.objects.all()).defer("boundary"),
            suggest_url="districts:suggest",
            **kwargs,
        )

    def label_of(self, territory) -> str:
        return f"{territory.name} ({territory.get_level_display()})"

    def named(self, text: str):
        match = LEVEL_SUFFIX.match(text)
        levels = {str(label).lower(): value for value, label in Territory.Level.choices}
        if match and match["level"].lower() in levels:
            return self.queryset.filter(name__iexact=match["name"], level=levels[match["level"].lower()])
        if re.fullmatch(r"\d{5}", text):
            return self.queryset.filter(postcode=text)
        exact = super().named(text)
        if exact.exists():
            return exact
        # "blosne", "villejean": part of a name, without accents or articles (the slug has neither).
        words = slugify(text)
        return self.queryset.filter(slug__contains=words) if len(words) >= 3 else exact


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
        + [(f"-{key}", format_lazy(_("{label} (décroissant)"), label=label)) for key, label in SORTS.items()],
    )


class CompareForm(forms.Form):
    MIN, MAX = 2, 4

    territory = forms.Field(
        label=_("Territoires à comparer"), required=False, widget=forms.MultipleHiddenInput
    )
    add = PlaceField(label=_("Ajouter un territoire"), required=False)

    def clean_territory(self):
        # Each one typed or linked by name or slug, resolved like any place picker; duplicates count once.
        chosen, field = {}, PlaceField()
        for text in self.data.getlist("territory") + self.data.getlist("add"):
            territory = field.clean(text)
            chosen.setdefault(territory.pk, territory)
        chosen = list(chosen.values())
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
        data.setlist("add", [text for text in query.getlist("add") if text][:4])
        return cls(data)


class PlaceFilter(django_filters.Filter):
    """A FilterSet's territory picker (hubs, professionals, programmes), typed and resolved like PlaceField."""

    field_class = PlaceField
