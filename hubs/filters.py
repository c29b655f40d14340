import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from config.text import normalise
from districts.models import Territory
from hubs.models import Hub, Service

MAX_QUERY_LENGTH = 200


class HubFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("médecin, sage-femme, Blosne…"), "type": "search"}),
    )
    service = django_filters.ModelMultipleChoiceFilter(
        label=_("Services"),
        field_name="services__slug",
        to_field_name="slug",
        queryset=Service.objects.order_by("name", "pk"),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type de lieu"), choices=Hub.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Quartier ou commune"),
        to_field_name="slug",
        queryset=Territory.objects.filter(
            level__in=[Territory.Level.DISTRICT, Territory.Level.CITY]
        ).by_name(),
        method="filter_territory",
        empty_label=_("Tous"),
    )

    class Meta:
        model = Hub
        fields = ["q", "service", "kind", "territory"]

    def filter_text(self, queryset, name, value):
        for word in normalise(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_territory(self, queryset, name, value):
        return queryset.in_territories(Territory.objects.within(value))
