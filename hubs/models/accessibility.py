"""Getting in: a hub's accessibility, described as acceslibre (the national open database of ERP access) does."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import Availability


class Entrance(models.TextChoices):
    STEP_FREE = "STEP_FREE", _("de plain-pied")
    RAMP = "RAMP", _("marches avec une rampe")
    LIFT = "LIFT", _("par un ascenseur")
    STEPS = "STEPS", _("une ou plusieurs marches, sans rampe signalée")
    UNKNOWN = "UNKNOWN", _("non renseignée")


WHEELCHAIR_ENTRANCES = [Entrance.STEP_FREE, Entrance.RAMP, Entrance.LIFT]
# What the wheelchair filter finds: an entrance described as passable, or, where nobody described the entrance,
# a hub whose wheelchair access was answered yes (by hand, or by OpenStreetMap for the pharmacies).
WHEELCHAIR_ACCESSIBLE = Q(entrance__in=WHEELCHAIR_ENTRANCES) | Q(
    entrance=Entrance.UNKNOWN, wheelchair_access=Availability.YES
)
ACCESSIBILITY_FIELDS = [
    "entrance",
    "accessible_parking",
    "accessible_toilets",
    "hearing_loop",
    "staff_trained",
]


def availability(**kwargs):
    return models.CharField(
        max_length=10, choices=Availability.choices, default=Availability.UNKNOWN, **kwargs
    )


class Accessible(models.Model):
    """Who said each of these and when is in the record's provenance (acceslibre, or a person)."""

    # Said by a person or OpenStreetMap; the entrance, when described, says more (and the filter believes it).
    wheelchair_access = availability(verbose_name=_("accès en fauteuil roulant"))
    entrance = models.CharField(
        _("entrée"), max_length=10, choices=Entrance.choices, default=Entrance.UNKNOWN
    )
    accessible_parking = availability(verbose_name=_("place de stationnement adaptée"))
    accessible_toilets = availability(verbose_name=_("toilettes adaptées"))
    hearing_loop = availability(verbose_name=_("boucle à induction magnétique"))
    staff_trained = availability(verbose_name=_("personnel formé à l'accueil des personnes handicapées"))
    acceslibre_url = models.URLField(_("fiche acceslibre"), blank=True)

    class Meta:
        abstract = True

    @property
    def wheelchair_accessible(self) -> bool:
        """The wheelchair filter's rule (WHEELCHAIR_ACCESSIBLE), for one hub already read."""
        if self.entrance != Entrance.UNKNOWN:
            return self.entrance in WHEELCHAIR_ENTRANCES
        return self.wheelchair_access == Availability.YES

    def wheelchair_summary(self) -> str:
        if self.entrance != Entrance.UNKNOWN:
            return _("entrée %(entrance)s") % {"entrance": self.get_entrance_display()}
        return str(self.get_wheelchair_access_display())

    @property
    def accessibility_known(self) -> bool:
        return self.entrance != Entrance.UNKNOWN or any(
            getattr(self, f) != Availability.UNKNOWN for f in ACCESSIBILITY_FIELDS[1:]
        )
