from django.contrib import admin

from professionals.models import Membership, Profession, Professional


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
class ProfessionalAdmin(admin.ModelAdmin):
    list_display = ["display_name", "profession", "rpps", "accepting_new_patients", "active", "is_demo"]
    list_filter = ["profession", "active", "accepting_new_patients", "is_demo"]
    search_fields = ["display_name", "rpps"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["professional", "hub", "role", "days_present"]
    list_filter = ["professional__profession"]
    search_fields = ["professional__display_name", "hub__name"]
    autocomplete_fields = ["professional", "hub"]
