"""The services hubs offer (general medicine, midwifery, prevention…), in three categories."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _


class ServiceQuerySet(models.QuerySet):
    def offered(self):
        """Services at least one published hub offers (a semi-join: no duplicates to remove)."""
        offering = self.model.hubs.through.objects.filter(service=OuterRef("pk"), hub__published=True)
        return self.filter(Exists(offering))


class Service(models.Model):
    class Category(models.TextChoices):
        CARE = "CARE", _("Soins")
        PREVENTION = "PREVENTION", _("Prévention")
        SOCIAL = "SOCIAL", _("Accompagnement social")

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    category = models.CharField(_("catégorie"), max_length=12, choices=Category.choices)
    profession = models.ForeignKey(
        "professionals.Profession",
        verbose_name=_("profession associée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.name


def services_by_name() -> models.Prefetch:
    """A hub's services in a stable order (unordered, PostgreSQL returns rows as they lie on disk)."""
    return models.Prefetch("services", Service.objects.order_by("name", "pk"))
