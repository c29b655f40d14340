from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """What the portal keeps about a staff account beyond Django's user: the language mail is written in."""

    name = "accounts"
    verbose_name = _("Comptes")
