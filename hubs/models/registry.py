"""What the national registries say that differs from a value set by hand, and slugs of merged hubs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config import provenance
from config.roles import is_city_editor
from hubs.schema import EDITOR_ONLY_FIELDS


class RegistrySuggestionQuerySet(models.QuerySet):
    def decidable_by(self, user):
        """City editors decide any; a hub manager, those about their hubs' fields they may edit themselves."""
        if is_city_editor(user):
            return self
        return self.filter(hub__managers=user).exclude(field__in=EDITOR_ONLY_FIELDS)


class RegistrySuggestion(models.Model):
    """A registry's value for a field a person set by hand: an editor accepts it or rejects it."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("À examiner")
        ACCEPTED = "ACCEPTED", _("Acceptée")
        REJECTED = "REJECTED", _("Refusée")

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    professional = models.ForeignKey(
        "professionals.Professional",
        verbose_name=_("professionnel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    field = models.CharField(_("champ"), max_length=40)
    current = models.TextField(_("valeur actuelle"), blank=True)
    value = models.TextField(_("valeur du registre"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=[
            (provenance.FINESS, "FINESS"),
            (provenance.RPPS, "RPPS"),
            (provenance.ACCESLIBRE, "acceslibre"),
        ],
    )
    extracted_on = models.DateField(_("extraction du"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    objects = RegistrySuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion d'un registre")
        verbose_name_plural = _("suggestions des registres")
        constraints = [
            models.CheckConstraint(
                condition=Q(hub__isnull=False, professional__isnull=True)
                | Q(hub__isnull=True, professional__isnull=False),
                name="suggestion_for_one_record",
            ),
            models.UniqueConstraint(
                fields=["hub", "field"],
                condition=Q(status="PENDING", hub__isnull=False),
                name="suggestion_one_pending_per_hub_field",
            ),
            models.UniqueConstraint(
                fields=["professional", "field"],
                condition=Q(status="PENDING", professional__isnull=False),
                name="suggestion_one_pending_per_professional_field",
            ),
        ]

    def __str__(self):
        return f"{self.hub or self.professional} · {self.field} → {self.value}"

    @property
    def record(self):
        return self.hub or self.professional


class HubRedirect(models.Model):
    """The slug of a hub merged into another: its old address leads to the hub that was kept."""

    old_slug = models.SlugField(_("ancien identifiant d'URL"), max_length=200, unique=True)
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="redirects"
    )

    class Meta:
        verbose_name = _("ancienne adresse d'un lieu")
        verbose_name_plural = _("anciennes adresses des lieux")

    def __str__(self):
        return f"{self.old_slug} → {self.hub}"


class RegistryRefresh(models.Model):
    """One run of the monthly refresh (manage.py refresh_registries): what it said, for the editors' digest."""

    registry = models.CharField(_("registre"), max_length=10)
    finished_at = models.DateTimeField(_("terminé le"), auto_now_add=True)
    succeeded = models.BooleanField(_("réussi"))
    summary = models.TextField(_("compte rendu"))

    class Meta:
        verbose_name = _("mise à jour d'un registre")
        verbose_name_plural = _("mises à jour des registres")

    def __str__(self):
        return f"{self.registry} {self.finished_at:%Y-%m-%d}"
