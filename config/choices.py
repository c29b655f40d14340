"""Vocabularies shared by hubs and professionals: a yes / no / not known answer, and the days of the week."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Availability(models.TextChoices):
    YES = "YES", _("Oui")
    NO = "NO", _("Non")
    UNKNOWN = "UNKNOWN", _("Non renseigné")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Lundi")
    TUESDAY = 1, _("Mardi")
    WEDNESDAY = 2, _("Mercredi")
    THURSDAY = 3, _("Jeudi")
    FRIDAY = 4, _("Vendredi")
    SATURDAY = 5, _("Samedi")
    SUNDAY = 6, _("Dimanche")
