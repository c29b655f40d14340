"""Timed work's bookkeeping (when each job last ran: run_scheduled), and invitations to staff accounts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ScheduledJob(models.Model):
    name = models.CharField(_("tâche"), max_length=40, primary_key=True)
    last_done = models.DateTimeField(_("dernière exécution"), null=True, blank=True)
    running_until = models.DateTimeField(_("en cours jusqu'à"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche programmée")
        verbose_name_plural = _("tâches programmées")

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """A city editor invites a hub manager (a superuser, an editor) by mail: a single-use link that expires."""

    class Role(models.TextChoices):
        HUB_MANAGER = "HUB_MANAGER", _("gestionnaire de lieux")
        CITY_EDITOR = "CITY_EDITOR", _("éditeur de la ville")

    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.HUB_MANAGER)
    hubs = models.ManyToManyField("hubs.Hub", verbose_name=_("lieux gérés"), blank=True, related_name="+")
    language = models.CharField(
        _("langue des messages"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False
    )  # the link's token is never stored
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte créé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email

    @property
    def state(self) -> str:
        if self.accepted_at:
            return _("acceptée")
        if self.revoked_at:
            return _("annulée")
        return _("expirée") if self.expires_at < timezone.now() else _("en attente")
