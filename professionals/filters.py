import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from districts.models import Territory
from hubs.filters import search_words
from professionals.models import Availability, Profession, Professional


class ProfessionalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Nom ou profession"),
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    profession = django_filters.ModelMultipleChoiceFilter(
        label=_("Profession"),
        field_name="profession__code",
        to_field_name="code",
        queryset=Profession.objects.order_by("name", "pk"),
        widget=forms.CheckboxSelectMultiple,
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Quartier ou commune"),
        to_field_name="slug",
        queryset=Territory.objects.places(),
        method="filter_territory",
        empty_label=_("Tous"),
    )
    accepting = django_filters.BooleanFilter(
        label=_("Accepte de nouveaux patients"), method="filter_accepting", widget=forms.CheckboxInput
    )
    language = django_filters.CharFilter(
        label=_("Langue parlée"), field_name="languages", lookup_expr="icontains", max_length=40
    )

    class Meta:
        model = Professional
        fields = ["q", "profession", "territory", "accepting", "language"]

    def filter_text(self, queryset, name, value):
        for word in search_words(value)[:12]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_territory(self, queryset, name, value):
        return queryset.practising_in(Territory.objects.within(value))

    def filter_accepting(self, queryset, name, value):
        return queryset.filter(accepting_new_patients=Availability.YES) if value else queryset
