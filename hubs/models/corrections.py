"""Residents' error reports on hub pages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CorrectionRequest(models.Model):
    """A resident's "signaler une erreur" on a hub page, queued for its managers and the city editors."""

    class Status(models.TextChoices):
        NEW = "NEW", _("À traiter")
        IN_PROGRESS = "IN_PROGRESS", _("En cours")
        DONE = "DONE", _("Corrigé")
        REJECTED = "REJECTED", _("Sans suite")

        @classmethod
        def closed(cls) -> set:
            return {cls.DONE, cls.REJECTED}

    # A resident's report outlives a deletion attempt: the hub is unpublished instead.
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.PROTECT, related_name="corrections"
    )
    message = models.TextField(_("ce qui est faux"), max_length=2000)
    contact = models.CharField(_("contact (facultatif)"), max_length=200, blank=True)
    notify = models.BooleanField(
        _("prévenir la personne"),
        default=False,
        help_text=_(
            "Elle a laissé une adresse et demandé un courriel quand le signalement est traité (un seul)."
        ),
    )
    language = models.CharField(_("langue"), max_length=8, default="fr", editable=False)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.NEW)
    note = models.TextField(
        _("réponse"), blank=True, help_text=_("Ce qui a été fait ; envoyé à la personne si elle l'a demandé.")
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="correction_has_a_message"),
        ]

    def __str__(self):
        return f"{self.hub} — {self.created_at:%d/%m/%Y}"
