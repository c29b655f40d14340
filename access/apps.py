from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Access to GPs on the population grid: per-cell distances and 2SFCA scores, and "what if a centre opened"."""

    name = "access"
    verbose_name = _("Accès aux médecins")
