"""Where people live, on INSEE's 200 m grid, and how far they are from a GP: stored per cell and per territory.

The figures are computed by `access/compute.py` (manage.py compute_access) and only read here.
"""

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config import geo

# Distance bands of the access figures, in metres as the crow flies.
BANDS = (500, 1000, 2000)


class PopulationCell(models.Model):
    """A populated 200 m square of INSEE's grid: its id, its centre, its inhabitants (`ind`, half-units when
    imputed) and, once computed, its access to GPs."""

    code = models.CharField(_("carreau"), max_length=40, unique=True)  # CRS3035RES200mN2766400E3296000
    # The square's lower-left corner in ETRS89-LAEA (EPSG:3035), metres: what coarser views group by.
    east = models.PositiveIntegerField()
    north = models.PositiveIntegerField()
    location = models.PointField(_("centre"), srid=geo.WGS84, spatial_index=True)
    population = models.FloatField(_("habitants"))
    imputed = models.BooleanField(_("valeur imputée par l'INSEE"), default=False)
    year = models.PositiveSmallIntegerField(_("année"))
    territory = models.ForeignKey(
        "districts.Territory", null=True, blank=True, on_delete=models.SET_NULL, related_name="cells"
    )
    gp_metres = models.PositiveIntegerField(
        _("distance au médecin généraliste le plus proche"), null=True, blank=True
    )
    accepting_metres = models.PositiveIntegerField(
        _("distance au plus proche acceptant de nouveaux patients"), null=True, blank=True
    )
    score = models.FloatField(_("accessibilité (2SFCA)"), null=True, blank=True)

    class Meta:
        verbose_name = _("carreau de population")
        verbose_name_plural = _("carreaux de population")
        constraints = [
            models.CheckConstraint(condition=Q(population__gte=0), name="cell_population_not_negative"),
        ]

    def __str__(self):
        return self.code


class TerritoryAccess(models.Model):
    """A territory the grid covers entirely, and its figures once computed (null until then)."""

    territory = models.OneToOneField("districts.Territory", on_delete=models.CASCADE, related_name="access")
    grid_year = models.PositiveSmallIntegerField(_("année du carroyage"))
    grid_source = models.CharField(_("source du carroyage"), max_length=300)
    population = models.FloatField(_("habitants du carroyage"), null=True, blank=True)
    gp_500 = models.FloatField(null=True, blank=True)
    gp_1000 = models.FloatField(null=True, blank=True)
    gp_2000 = models.FloatField(null=True, blank=True)
    accepting_500 = models.FloatField(null=True, blank=True)
    accepting_1000 = models.FloatField(null=True, blank=True)
    accepting_2000 = models.FloatField(null=True, blank=True)
    score = models.FloatField(_("accessibilité moyenne (2SFCA)"), null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("accès aux médecins d'un territoire")
        verbose_name_plural = _("accès aux médecins des territoires")

    def __str__(self):
        return str(self.territory)

    def share(self, count: float | None) -> float | None:
        return None if count is None or not self.population else count / self.population

    def bands(self) -> list[dict]:
        """Per band: residents within it of a GP hub and of one accepting new patients, and their shares."""
        return [
            {
                "metres": metres,
                "gp": getattr(self, f"gp_{metres}"),
                "gp_share": self.share(getattr(self, f"gp_{metres}")),
                "accepting": getattr(self, f"accepting_{metres}"),
                "accepting_share": self.share(getattr(self, f"accepting_{metres}")),
            }
            for metres in BANDS
        ]

    def as_dict(self, *, complete_source: str | None) -> dict:
        """For the API and the open-data files: the figures, their grid and the method, or null when not computed,
        or when the directory is not known to list every GP here (`complete_source`: who established it does)."""
        shown = complete_source is not None
        return {
            "grid": {"year": self.grid_year, "source": self.grid_source},
            "population": round(self.population) if self.population is not None else None,
            "directory_complete_according_to": complete_source,
            "share_within_metres_of_gp": {
                str(b["metres"]): round4(b["gp_share"]) if shown else None for b in self.bands()
            },
            "share_within_metres_of_gp_accepting_new_patients": {
                str(b["metres"]): round4(b["accepting_share"]) if shown else None for b in self.bands()
            },
            "score_2sfca_gp_per_10k": round4(self.score) if shown else None,
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "method": "straight-line distances from 200 m cell centres; 2SFCA, catchment 6 km, weights 1 / 2/3 / 1/3"
            " to 2 / 4 / 6 km",
        }


def round4(value):
    return round(value, 4) if value is not None else None


class AplFigure(models.Model):
    """The DREES's APL for general practice in a commune, as published (never computed here): consultations a
    resident can reach in a year, per standardised inhabitant, from the GPs of the commune and those around it."""

    territory = models.ForeignKey(
        "districts.Territory",
        on_delete=models.PROTECT,
        related_name="apl_figures",
        verbose_name=_("territoire"),
    )
    year = models.PositiveSmallIntegerField(_("millésime"))
    apl = models.DecimalField(_("APL aux médecins généralistes"), max_digits=6, decimal_places=3)
    # The series the DREES itself quotes: GPs aged 65 or under (those above may retire soon).
    apl_under_65 = models.DecimalField(
        _("APL aux médecins généralistes de 65 ans ou moins"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
    )
    population = models.PositiveIntegerField(_("population totale"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("lien vers la source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("APL officielle")
        verbose_name_plural = _("APL officielles")
        constraints = [
            models.CheckConstraint(condition=Q(apl__gte=0), name="apl_not_negative"),
            models.UniqueConstraint(
                fields=["territory", "year", "source"], name="apl_unique_per_source_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.territory} · {self.year} · {self.apl}"

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "apl": float(self.apl),
            "apl_gps_65_or_under": float(self.apl_under_65) if self.apl_under_65 is not None else None,
            "unit": "consultations per year per standardised inhabitant",
            "source": self.source,
            "source_url": self.source_url,
        }
