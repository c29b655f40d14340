import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.text import TextSearchFilter
from districts.forms import PlaceFilter
from programmes.models import Beneficiary, Funder, SupportProgramme, SupportType

SORTS = [
    ("deadline", _("date limite la plus proche")),
    ("amount", _("montant le plus élevé")),
    ("name", _("nom")),
]


class ProgrammeFilter(django_filters.FilterSet):
    q = TextSearchFilter(label=_("Recherche"))
    funder = django_filters.ModelMultipleChoiceFilter(
        label=_("Financeur"),
        field_name="funders__slug",
        to_field_name="slug",
        queryset=Funder.objects.order_by("name", "pk"),
        distinct=True,
    )
    funder_kind = django_filters.MultipleChoiceFilter(
        label=_("Type de financeur"),
        field_name="funders__kind",
        choices=Funder.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    support = django_filters.ModelMultipleChoiceFilter(
        label=_("Type de soutien"),
        field_name="support_types__code",
        to_field_name="code",
        queryset=SupportType.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    territory = PlaceFilter(label=_("Territoire du projet"), method="filter_territory")
    beneficiary = django_filters.ModelMultipleChoiceFilter(
        label=_("Porteur du projet"),
        field_name="beneficiaries__code",
        to_field_name="code",
        queryset=Beneficiary.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    min_amount = django_filters.NumberFilter(
        label=_("Montant d'au moins (€)"), method="filter_min_amount", min_value=0, max_value=10**12
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=SupportProgramme.Status.choices,
        method="filter_status",
        empty_label=_("Tous"),
    )
    deadline_before = django_filters.DateFilter(
        label=_("Date limite avant le"),
        field_name="application_deadline",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"), choices=SORTS, method="filter_sort", empty_label=None, null_label=None
    )

    class Meta:
        model = SupportProgramme
        fields = ["q"]

    def filter_territory(self, queryset, name, territory):
        return queryset.applying_to(territory)

    def filter_min_amount(self, queryset, name, value):
        # A ceiling per project when published, else the whole budget.
        return queryset.filter(Q(max_amount__gte=value) | Q(max_amount__isnull=True, total_budget__gte=value))

    def filter_status(self, queryset, name, value):
        return queryset.with_status_on(value, timezone.localdate())

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or "deadline"
        if sort == "amount":
            return queryset.order_by(
                F("max_amount").desc(nulls_last=True), F("total_budget").desc(nulls_last=True), "name", "pk"
            )
        if sort == "name":
            return queryset.order_by("name", "pk")
        return queryset.nearest_deadline_first()
