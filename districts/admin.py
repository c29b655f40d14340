from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from districts.models import DensityFigure, Territory


class DensityFigureInline(admin.TabularInline):
    model = DensityFigure
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(LeafletGeoAdmin):
    list_display = ["name", "level", "parent", "code", "population", "population_year", "is_priority_area"]
    list_filter = ["level", "is_priority_area"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [DensityFigureInline]


@admin.register(DensityFigure)
class DensityFigureAdmin(admin.ModelAdmin):
    list_display = ["territory", "profession", "per_10k", "year", "source"]
    list_filter = ["profession", "year", "territory__level"]
    search_fields = ["territory__name", "source"]
    autocomplete_fields = ["territory"]
