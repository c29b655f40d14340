from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from hubs.resources import import_formats
from hubs.roles import can_edit_hub, is_city_editor
from professionals.models import Membership, Profession, Professional
from professionals.resources import ProfessionalResource


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "counts_as_gp"]
    list_filter = ["counts_as_gp"]
    search_fields = ["name", "code", "synonyms"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["hub"]


@admin.register(Professional)
class ProfessionalAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProfessionalResource]
    formats = import_formats()
    list_display = ["display_name", "profession", "rpps", "accepting_new_patients", "active", "is_demo"]
    list_filter = ["profession", "active", "accepting_new_patients", "is_demo"]
    search_fields = ["display_name", "rpps"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["professional", "hub", "role", "days_present"]
    list_filter = ["professional__profession"]
    search_fields = ["professional__display_name", "hub__name"]
    autocomplete_fields = ["professional", "hub"]

    def get_queryset(self, request):
        memberships = super().get_queryset(request)
        return memberships if is_city_editor(request.user) else memberships.filter(hub__managers=request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_hub(request.user, obj.hub)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit_hub(request.user, obj.hub)
        )
