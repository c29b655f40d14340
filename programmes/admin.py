from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programmes.models import Beneficiary, Funder, Funding, SupportProgramme, SupportType


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["hub"]


@admin.register(SupportProgramme)
class SupportProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "max_amount", "total_budget", "starts_on", "ends_on", "application_deadline"]
    list_filter = ["funders__kind", "support_types", "beneficiaries"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["funders", "support_types", "beneficiaries"]
    autocomplete_fields = ["territories"]
    inlines = [FundingInline]


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["programme", "hub", "amount", "year"]
    list_filter = ["year", "programme"]
    search_fields = ["programme__name", "hub__name"]
    autocomplete_fields = ["programme", "hub"]


admin.site.register(SupportType)
admin.site.register(Beneficiary)
