"""Accounts in the admin, so that nobody needs a shell to add a hub manager or lift a lockout.

City editors create staff accounts, give them the hub-manager role (then pick the hubs they manage on each
hub's page), deactivate them, and clear lockouts ("Tentatives d'accès"). They never see or touch
superusers or other city editors, and cannot hand out any other role or permission: only superusers can.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from config.roles import CITY_EDITORS, HUB_MANAGERS
from portal.models import ScheduledJob
from portal.staff_site import reset_second_factor

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ["username", "email", "is_active", "roles", "last_login"]
    list_filter = ["is_active", "groups"]

    limited_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personne"), {"fields": ("first_name", "last_name", "email")}),
        (_("Rôle"), {"fields": ("is_active", "groups")}),
    )

    @admin.display(description=_("rôles"))
    def roles(self, user):
        return ", ".join(sorted(g.name for g in user.groups.all())) or "—"

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        if request.user.is_superuser:
            return users
        return users.filter(is_superuser=False).exclude(groups__name=CITY_EDITORS)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name=HUB_MANAGERS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    actions = ["reset_second_factor"]

    @admin.action(
        description=_("Réinitialiser la double authentification (téléphone perdu)"), permissions=["change"]
    )
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            reset_second_factor(user)
            self.log_change(request, user, _("Double authentification réinitialisée."))
        self.message_user(
            request,
            _(
                "%(count)d compte(s) : la prochaine connexion demandera d'enregistrer une nouvelle application."
            )
            % {"count": queryset.count()},
        )

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_staff, obj.is_superuser = True, False  # an account an editor makes is a staff account
        super().save_model(request, obj, form, change)


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """When each timed job last ran (manage.py run_scheduled): read only, for who wonders why no mail left."""

    list_display = ["name", "last_done", "running_until"]
    ordering = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
