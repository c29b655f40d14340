from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Lieux de santé")

    def ready(self):
        from hubs.models import _connect_search_text_signals

        _connect_search_text_signals()
