"""Accounts in the admin, so that nobody needs a shell to add a hub manager or lift a lockout.

City editors create staff accounts, give them the hub-manager role (then pick the hubs they manage on each
hub's page), deactivate them, and clear lockouts ("Tentatives d'accès"). They never see or touch
superusers or other city editors, and cannot hand out any other role or permission: only superusers can.
"""

import secrets

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from config.roles import CITY_EDITORS, HUB_MANAGERS, is_city_editor
from portal.models import Invitation, ScheduledJob
from portal.services import send_invitation
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


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "hubs", "language"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Un compte existe déjà pour cette adresse : modifiez-le plutôt dans Utilisateurs.")
            )
        return email

    def clean(self):
        data = super().clean()
        if data.get("role") == Invitation.Role.HUB_MANAGER and not data.get("hubs"):
            self.add_error("hubs", _("Choisissez au moins un lieu que cette personne gérera."))
        return data


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """City editors invite hub managers; only superusers invite editors. The link goes by mail, never on screen."""

    form = InvitationForm
    list_display = ["email", "role", "language", "state", "created_at", "expires_at", "invited_by"]
    ordering = ["-created_at", "pk"]
    autocomplete_fields = ["hubs"]
    actions = ["resend", "revoke"]
    search_fields = ["email"]

    def get_queryset(self, request):
        invitations = super().get_queryset(request)
        return (
            invitations if request.user.is_superuser else invitations.filter(role=Invitation.Role.HUB_MANAGER)
        )

    def has_module_permission(self, request):
        return is_city_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_city_editor(request.user)

    def has_add_permission(self, request):
        return is_city_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is resent or revoked, never edited: the link went to that address

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(Invitation.Role.HUB_MANAGER, Invitation.Role.HUB_MANAGER.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("état"))
    def state(self, invitation):
        return invitation.state

    def save_model(self, request, obj, form, change):
        obj.expires_at = timezone.now()  # set for real by send_invitation, once the hubs are saved
        obj.token_hash = secrets.token_hex(32)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        send_invitation(form.instance, by=request.user)
        self.message_user(request, _("Invitation envoyée à %(email)s.") % {"email": form.instance.email})

    @admin.action(description=_("Renvoyer (un nouveau lien, valable 7 jours)"), permissions=["add"])
    def resend(self, request, queryset):
        pending = queryset.filter(accepted_at__isnull=True)
        for invitation in pending:
            send_invitation(invitation, by=request.user)
            self.log_change(request, invitation, _("Invitation renvoyée."))
        self.message_user(request, _("%(count)d invitation(s) renvoyée(s).") % {"count": pending.count()})

    @admin.action(description=_("Annuler (le lien ne fonctionne plus)"), permissions=["add"])
    def revoke(self, request, queryset):
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            invitation.revoked_at, invitation._history_user = timezone.now(), request.user
            invitation.save()
            self.log_change(request, invitation, _("Invitation annulée."))
        self.message_user(request, _("Invitation(s) annulée(s)."))
