from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from config import provenance
from config.history import GuardedHistoryAdmin
from config.roles import is_city_editor
from config.schema import attnames
from config.spreadsheet import import_formats
from professionals import schema
from professionals.models import Membership, Profession, Professional
from professionals.resources import ProfessionalResource


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "counts_as_gp"]
    ordering = ["name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["counts_as_gp"]
    search_fields = ["name", "code", "synonyms"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["hub"]


HAND_EDITED_FIELDS = attnames(Professional, schema.HAND_EDITED_FIELDS)  # as provenance stores them


@admin.register(Professional)
class ProfessionalAdmin(ImportExportModelAdmin, GuardedHistoryAdmin):
    resource_classes = [ProfessionalResource]
    formats = import_formats()
    list_display = ["display_name", "profession", "rpps", "accepting_new_patients", "active", "is_demo"]
    ordering = ["display_name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["profession", "active", "accepting_new_patients", "is_demo"]
    search_fields = ["display_name", "rpps"]
    inlines = [MembershipInline]

    def get_exclude(self, request, obj=None):  # also what the history hides (config/history.py)
        return [] if is_city_editor(request.user) else schema.EDITOR_ONLY_FIELDS

    def get_fields(self, request, obj=None):
        """In the declaration's order; a hub manager's form has no field reserved to city editors."""
        hidden = self.get_exclude(request, obj)
        return [name for name, role in schema.PROFESSIONAL_FIELDS.items() if role.edit and name not in hidden]

    def save_model(self, request, obj, form, change):
        # What a person sets here is theirs: an RPPS import will suggest, never overwrite.
        provenance.record_hand_edit(obj, request.user, HAND_EDITED_FIELDS)
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(GuardedHistoryAdmin):
    list_display = ["professional", "hub", "role", "days_present"]
    ordering = [
        "professional__display_name",
        "pk",
    ]  # the models have no default order: lists and pages stay stable
    list_filter = ["professional__profession"]
    search_fields = ["professional__display_name", "hub__name"]
    autocomplete_fields = ["professional", "hub"]

    def get_queryset(self, request):
        memberships = super().get_queryset(request)
        return memberships if is_city_editor(request.user) else memberships.filter(hub__managers=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The posted hub must be one the user manages: the queryset is what the form validates against.
        if db_field.name == "hub":
            kwargs["queryset"] = db_field.related_model.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.hub.editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.hub.editable_by(request.user)
        )
