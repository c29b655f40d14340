from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Lieux de santé")

    def ready(self):
        from django.db.models.signals import post_migrate

        from districts.signals import territories_changed
        from hubs import counts, signals
        from hubs.services import follow_boundaries

        territories_changed.connect(follow_boundaries, dispatch_uid="hubs-follow-boundaries")
        signals.connect_signals()
        post_migrate.connect(counts.count_if_never_counted, sender=self, dispatch_uid="hubs-count-once")
