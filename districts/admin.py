from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from districts.models import AplFigure, CompleteDirectory, DensityFigure, Territory
from districts.signals import territories_changed


class DensityFigureInline(admin.TabularInline):
    model = DensityFigure
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(LeafletGeoAdmin):
    list_display = ["name", "level", "parent", "code", "population", "population_year", "is_priority_area"]
    ordering = ["name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["level", "is_priority_area"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [DensityFigureInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"boundary", "parent"} & set(form.changed_data):
            territories_changed.send(sender=Territory)


@admin.register(DensityFigure)
class DensityFigureAdmin(admin.ModelAdmin):
    list_display = ["territory", "profession", "per_10k", "year", "source"]
    ordering = ["territory__name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["profession", "year", "territory__level"]
    search_fields = ["territory__name", "source"]
    autocomplete_fields = ["territory"]


@admin.register(AplFigure)
class AplFigureAdmin(admin.ModelAdmin):
    """The DREES's APL per commune, as `manage.py import_apl` stored it; corrected here if the source is."""

    list_display = ["territory", "year", "apl", "apl_under_65", "source"]
    ordering = ["territory__name", "-year", "pk"]
    list_filter = ["year"]
    search_fields = ["territory__name", "territory__code"]
    autocomplete_fields = ["territory"]


@admin.register(CompleteDirectory)
class CompleteDirectoryAdmin(admin.ModelAdmin):
    """Where the city has checked that the directory lists every GP (or a registry import did): computed
    densities are shown there, and only there."""

    list_display = ["territory", "profession", "source", "as_of"]
    ordering = ["territory__name", "pk"]
    autocomplete_fields = ["territory"]
