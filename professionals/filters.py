import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from config.choices import Availability
from config.text import TextSearchFilter
from districts.forms import PlaceFilter
from districts.models import Territory
from professionals.models import WITHOUT_OVERRUN_LABEL, Profession, Professional


def profession_choices() -> list[tuple[str, str]]:
    """Codes and names only: every search form lists the professions, and making a model object of each of them
    cost more than the query."""
    return list(Profession.objects.order_by("name", "pk").values_list("code", "name"))


class ProfessionalFilter(django_filters.FilterSet):
    q = TextSearchFilter(label=_("Nom ou profession"))
    profession = django_filters.MultipleChoiceFilter(
        label=_("Profession"),
        field_name="profession__code",
        choices=profession_choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a column of the row's own profession: no duplicates to remove
    )
    territory = PlaceFilter(label=_("Quartier ou commune"), method="filter_territory")
    accepting = django_filters.BooleanFilter(
        label=_("Accepte de nouveaux patients"), method="filter_accepting", widget=forms.CheckboxInput
    )
    without_overrun = django_filters.BooleanFilter(
        label=WITHOUT_OVERRUN_LABEL, method="filter_without_overrun", widget=forms.CheckboxInput
    )
    language = django_filters.CharFilter(
        label=_("Langue parlée"), field_name="languages", lookup_expr="icontains", max_length=40
    )

    class Meta:
        model = Professional
        fields = ["q", "profession", "territory", "accepting", "without_overrun", "language"]

    def filter_territory(self, queryset, name, value):
        return queryset.practising_in(Territory.objects.within(value))

    def filter_accepting(self, queryset, name, value):
        return queryset.filter(accepting_new_patients=Availability.YES) if value else queryset

    def filter_without_overrun(self, queryset, name, value):
        return queryset.without_overrun() if value else queryset
