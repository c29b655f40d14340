from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.utils.translation import gettext_lazy as _


def publisher_is_named(app_configs, **kwargs):
    """A French public site names its publisher (legal notice): a deployment must say who it is."""
    if settings.PUBLISHER["name"]:
        return []
    hint = "Set PUBLISHER_NAME (and PUBLISHER_ADDRESS, PUBLISHER_DIRECTOR, PUBLISHER_EMAIL, PUBLISHER_HOST)."
    return [checks.Warning("The legal notice names no publisher.", hint=hint, id="portal.W001")]


class PortalConfig(AppConfig):
    """Site-level pieces that belong to no one app: home, health, error pages, roles, accounts, demo, bench."""

    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from config.roles import ensure_groups
        from portal.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="portal-note-sign-in")
        # After every migrate (tests included): the groups follow the permissions the code defines.
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="portal-ensure-groups")
        checks.register(publisher_is_named, checks.Tags.security, deploy=True)


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, its site asking staff for a second factor."""

    default = False  # "portal" in INSTALLED_APPS stays PortalConfig; this one is named in full there
    default_site = "portal.staff_site.StaffAdminSite"
