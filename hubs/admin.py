from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from hubs.models import Closure, Hub, OpeningHours, Service
from professionals.models import Membership
from programmes.models import Funding


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["professional"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["programme"]


@admin.register(Hub)
class HubAdmin(LeafletGeoAdmin):
    list_display = ["name", "kind", "status", "territory", "city", "published", "last_verified_on", "is_demo"]
    list_filter = [
        "kind",
        "status",
        "published",
        "tiers_payant",
        "accepting_new_patients",
        "is_demo",
        "territory",
    ]
    search_fields = ["name", "city", "street", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory"]
    filter_horizontal = ["services", "supporters"]
    inlines = [OpeningHoursInline, ClosureInline, MembershipInline, FundingInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "published", "description"]}),
        (
            "Adresse et position",
            {"fields": ["street", "postcode", "city", "location", "territory", "territory_set_by_hand"]},
        ),
        ("Contact", {"fields": ["phone", "email", "website"]}),
        (
            "Accueil",
            {
                "fields": [
                    "services",
                    "tiers_payant",
                    ("accepting_new_patients", "accepting_as_of"),
                    "wheelchair_access",
                    "languages",
                ]
            },
        ),
        (
            "Reconnaissance et sources",
            {
                "fields": [
                    "ars_recognised",
                    "participatory",
                    "opened_on",
                    "supporters",
                    "last_verified_on",
                    "source",
                    "source_url",
                    "is_demo",
                ]
            },
        ),
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "profession"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
