from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Site-level pieces that belong to no one app: home, health, error pages, roles, accounts, demo, bench."""

    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from django.db.models.signals import post_migrate

        from config.roles import ensure_groups

        # After every migrate (tests included): the groups follow the permissions the code defines.
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="portal-ensure-groups")
