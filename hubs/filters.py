"""One FilterSet for the hub list, the map data and the comparison picker."""

import math

import django_filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import geo
from config.text import normalise
from districts.models import Territory
from hubs.models import Hub, Service
from professionals.models import Availability, Profession

MAX_QUERY_LENGTH = 200
DEFAULT_RADIUS_KM = 2
MAX_RADIUS_KM = 100

# Short forms residents type, expanded before matching the normalised search text.
SHORT_FORMS = {
    "kine": "kinesitherapeute",
    "kines": "kinesitherapeute",
    "generaliste": "generaliste",
    "medecin": "medecin",
    "orthophoniste": "orthophon",
    "psy": "psy",
    "dentiste": "dentiste",
    "infirmiere": "infirmier",
    "sf": "sage femme",
    "msp": "maison de sante",
    "cds": "centre de sante",
}


def search_words(text: str) -> list[str]:
    words = []
    for word in normalise(text).split():
        words.extend(SHORT_FORMS.get(word, word).split())
    return words


def yes_only(label):
    """A checkbox: ticked filters, unticked (or absent) does not filter the other way."""
    return django_filters.BooleanFilter(label=label, method="filter_flag", widget=forms.CheckboxInput)


class HubSearchForm(forms.Form):
    lat = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lng = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    radius_km = forms.FloatField(
        label=_("Rayon (km)"),
        required=False,
        min_value=0.1,
        max_value=MAX_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
    )
    around = forms.ModelChoiceField(
        label=_("Autour de"),
        required=False,
        to_field_name="slug",
        queryset=Territory.objects.places().filter(boundary__isnull=False),
        empty_label=_("—"),
        error_messages={"invalid_choice": _("Ce quartier ou cette commune n'existe pas.")},
    )
    bbox = forms.CharField(
        label=_("Zone de la carte"), required=False, max_length=120, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[("", _("pertinence")), ("distance", _("distance")), ("name", _("nom"))],
    )

    def clean_lat(self):
        return self._finite("lat")

    def clean_lng(self):
        return self._finite("lng")

    def clean_radius_km(self):
        return self._finite("radius_km")

    def _finite(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not math.isfinite(value):
            raise forms.ValidationError(_("Saisissez un nombre."))
        return value

    def clean_bbox(self):
        text = self.cleaned_data.get("bbox") or ""
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError(_("La zone doit être « ouest,sud,est,nord » en degrés.")) from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError(_("Cette zone n'est pas sur la Terre."))
        return Polygon.from_bbox((west, south, east, north))

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Une position a besoin d'une latitude et d'une longitude."))
        return data

    def point(self):
        """The user's point: lat/lng, or the centre of the chosen quartier or commune."""
        data = self.cleaned_data
        if data.get("lat") is not None:
            return geo.point(lat=data["lat"], lng=data["lng"])
        if data.get("around") is not None:
            return data["around"].boundary.point_on_surface
        return None


class HubFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "q-hint"}),
    )
    service = django_filters.ModelMultipleChoiceFilter(
        label=_("Services"),
        field_name="services__slug",
        to_field_name="slug",
        queryset=Service.objects.order_by("name", "pk"),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    profession = django_filters.ModelMultipleChoiceFilter(
        label=_("Professions"),
        to_field_name="code",
        queryset=Profession.objects.order_by("name", "pk"),
        method="filter_profession",
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type de lieu"), choices=Hub.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Quartier ou commune"),
        to_field_name="slug",
        queryset=Territory.objects.places(),
        method="filter_territory",
        empty_label=_("Tous"),
    )
    tiers_payant = yes_only(_("Tiers payant"))
    accepting = yes_only(_("Accepte de nouveaux patients"))
    open_now = yes_only(_("Ouvert maintenant"))
    wheelchair = yes_only(_("Accessible en fauteuil roulant"))
    language = django_filters.CharFilter(
        label=_("Langue parlée"), field_name="languages", lookup_expr="icontains", max_length=40
    )

    class Meta:
        model = Hub
        fields = ["q", "service", "profession", "kind", "territory"]
        form = HubSearchForm

    def filter_text(self, queryset, name, value):
        for word in search_words(value)[:12]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_profession(self, queryset, name, professions):
        if not professions:
            return queryset
        practising = Q(
            memberships__professional__profession__in=professions, memberships__professional__active=True
        )
        return queryset.filter(practising | Q(services__profession__in=professions)).distinct()

    def filter_territory(self, queryset, name, value):
        return queryset.in_territories(Territory.objects.within(value))

    def filter_flag(self, queryset, name, value):
        if not value:
            return queryset
        if name == "tiers_payant":
            return queryset.filter(tiers_payant=True)
        if name == "accepting":
            return queryset.filter(accepting_new_patients=Availability.YES)
        if name == "wheelchair":
            return queryset.filter(wheelchair_access=Availability.YES)
        return queryset.open_at(timezone.now())

    def filter_queryset(self, queryset):
        # The form also carries the point, radius, map box and sort: they are not filters of their own.
        data = self.form.cleaned_data
        for name, value in data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        if data.get("bbox") is not None:
            queryset = queryset.filter(location__within=data["bbox"])
        self.point = self.form.point()
        self.radius_km = data.get("radius_km") or DEFAULT_RADIUS_KM
        if self.point is not None:
            queryset = queryset.near(self.point, km=self.radius_km)
        if data.get("sort") == "name" or self.point is None:
            return queryset.order_by("name", "pk")
        return queryset.order_by("distance", "name", "pk")
