from django.contrib import admin

from config.history import GuardedHistoryAdmin
from programmes.models import Beneficiary, Funder, Funding, SupportProgramme, SupportType


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    ordering = ["name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["hub"]


@admin.register(SupportProgramme)
class SupportProgrammeAdmin(GuardedHistoryAdmin):
    list_display = ["name", "max_amount", "total_budget", "starts_on", "ends_on", "application_deadline"]
    ordering = ["name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["funders__kind", "support_types", "beneficiaries"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["funders", "support_types", "beneficiaries"]
    autocomplete_fields = ["territories"]
    inlines = [FundingInline]


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["programme", "hub", "amount", "year"]
    ordering = ["-year", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["year", "programme"]
    search_fields = ["programme__name", "hub__name"]
    autocomplete_fields = ["programme", "hub"]


admin.site.register(SupportType)
admin.site.register(Beneficiary)
