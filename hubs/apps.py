from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Lieux de santé")

    def ready(self):
        from django.db.models.signals import post_migrate

        from hubs.models import _connect_search_text_signals
        from hubs.roles import ensure_groups

        _connect_search_text_signals()
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="hubs-ensure-groups")
