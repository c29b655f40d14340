"""One FilterSet for the hub list, the map data and the comparison picker."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import geo
from config.choices import Availability
from config.text import TextSearchFilter
from districts.forms import PlaceField, PlaceFilter
from districts.models import Territory
from hubs.forms import PositionForm
from hubs.models import Hub, Service
from hubs.models.accessibility import WHEELCHAIR_ACCESSIBLE
from professionals.filters import profession_choices
from professionals.models import WITHOUT_OVERRUN_LABEL, Profession, Professional

MAX_QUERY_LENGTH = 200
DEFAULT_RADIUS_KM = 2
MAX_RADIUS_KM = 100


def service_choices() -> list[tuple[str, str]]:
    """Like profession_choices, for the services."""
    return list(Service.objects.order_by("name", "pk").values_list("slug", "name"))


def yes_only(label, narrow):
    """A checkbox: ticked, `narrow(hubs)` is applied; unticked (or absent) does not filter the other way."""

    def apply(queryset, _name, ticked):
        return narrow(queryset) if ticked else queryset

    return django_filters.BooleanFilter(label=label, method=apply, widget=forms.CheckboxInput)


class HubSearchForm(PositionForm):
    radius_km = forms.FloatField(
        label=_("Rayon (km)"),
        required=False,
        min_value=0.1,
        max_value=MAX_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
    )
    around = PlaceField(
        label=_("Autour de"), required=False, queryset=Territory.objects.filter(boundary__isnull=False)
    )
    zoom = forms.IntegerField(
        label=_("Niveau de zoom de la carte"),
        required=False,
        min_value=0,
        max_value=20,
        widget=forms.HiddenInput,
    )
    bbox = forms.CharField(
        label=_("Zone de la carte"), required=False, max_length=120, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[("", _("pertinence")), ("distance", _("distance")), ("name", _("nom"))],
    )

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

    def point(self):
        """The user's point: lat/lng, or the centre of the chosen quartier or commune."""
        around = self.cleaned_data.get("around")
        return super().point() or (around.boundary.point_on_surface if around is not None else None)

    def radius(self) -> float:
        return self.cleaned_data.get("radius_km") or DEFAULT_RADIUS_KM

    def understood(self):
        """The place found for what was typed ("blosne", "35200"), when it is not its name: said on the page."""
        place, typed = self.cleaned_data.get("around"), (self.data.get("around") or "").strip().lower()
        field = self.fields["around"]
        if place is None or typed in {place.name.lower(), place.slug, field.label_of(place).lower()}:
            return None
        return field.label_of(place)


YES_NO = ["open_now", "tiers_payant", "accepting", "without_overrun", "wheelchair"]


class HubFilter(django_filters.FilterSet):
    q = TextSearchFilter(
        label=_("Recherche"),
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "q-hint"}),
    )
    service = django_filters.MultipleChoiceFilter(
        label=_("Services"),
        choices=service_choices,
        method="filter_service",
        widget=forms.CheckboxSelectMultiple,
    )
    profession = django_filters.MultipleChoiceFilter(
        label=_("Professions"),
        choices=profession_choices,
        method="filter_profession",
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.MultipleChoiceFilter(  # a column of the hub itself: no DISTINCT over the directory
        label=_("Type de lieu"), choices=Hub.Kind.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    territory = PlaceFilter(label=_("Territoire"), method="filter_territory")
    tiers_payant = yes_only(_("Tiers payant"), lambda hubs: hubs.filter(tiers_payant=True))
    accepting = yes_only(
        _("Accepte de nouveaux patients"), lambda hubs: hubs.filter(accepting_new_patients=Availability.YES)
    )
    without_overrun = yes_only(
        WITHOUT_OVERRUN_LABEL, lambda hubs: hubs.where_practise(Professional.objects.without_overrun())
    )
    open_now = yes_only(_("Ouvert maintenant"), lambda hubs: hubs.open_at(timezone.now()))
    wheelchair = yes_only(
        _("Accessible en fauteuil roulant"), lambda hubs: hubs.filter(WHEELCHAIR_ACCESSIBLE)
    )
    language = django_filters.CharFilter(
        label=_("Langue parlée"), field_name="languages", lookup_expr="icontains", max_length=40
    )

    class Meta:
        model = Hub
        fields = ["q", "service", "profession", "kind", "territory"]
        form = HubSearchForm

    def summary(self) -> list[str]:
        """The criteria in force, in words: once results are shown, this line stands for the folded form."""
        data, form = self.form.cleaned_data, self.form
        said = [f"« {data['q']} »"] if data.get("q") else []
        if form.point() is not None:
            said.append(data["around"].name if data.get("around") else str(_("autour du point choisi")))
            said.append(f"{form.radius():g} km")
        for name in ("service", "profession", "kind"):
            if data.get(name):  # the choices are a query: asked only when one is ticked
                labels = dict(form.fields[name].choices)
                said += [str(labels.get(value, value)) for value in data[name]]
        if data.get("territory"):
            said.append(data["territory"].name)
        said += [str(self.filters[name].label) for name in YES_NO if data.get(name)]
        if data.get("language"):
            said.append(data["language"])
        return said

    def nothing_asked(self) -> bool:
        data = self.form.cleaned_data
        return self.form.point() is None and not (self.summary() or data.get("bbox") or data.get("sort"))

    def around_home(self):
        """The list page with nothing asked: what is near the city the portal serves, nearest first, rather than
        the whole directory A to Z. Bounded by the spatial index, whatever the size of the directory."""
        home = settings.HOME
        near = self.qs.near(geo.point(lat=home["lat"], lng=home["lng"]), km=home["km"])
        return near.order_by("distance", "name", "pk")

    def filter_service(self, queryset, name, slugs):
        return queryset.offering(Service.objects.filter(slug__in=slugs)) if slugs else queryset

    def filter_profession(self, queryset, name, codes):
        return queryset.with_profession(Profession.objects.filter(code__in=codes)) if codes else queryset

    def filter_territory(self, queryset, name, value):
        return queryset.in_territories(Territory.objects.within(value))

    def filter_queryset(self, queryset):
        # The form also carries the point, radius, map box and sort: they are not filters of their own.
        data = self.form.cleaned_data
        for name, value in data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        if data.get("bbox") is not None:
            queryset = queryset.filter(location__within=data["bbox"])
        point = self.form.point()
        if point is not None:
            queryset = queryset.near(point, km=self.form.radius())
        if data.get("sort") == "name":
            return queryset.order_by("name", "pk")
        if point is None:  # "pertinence": how well the words match, or the name with no words
            return queryset.by_relevance(data.get("q") or "", "name", "pk")
        return queryset.order_by("distance", "name", "pk")
