from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TerritoryQuerySet(models.QuerySet):
    def districts(self):
        return self.filter(level=Territory.Level.DISTRICT)

    def places(self):
        """Quartiers, communes and cities, as residents pick them in a search form."""
        return (
            self.filter(level__in=[Territory.Level.DISTRICT, Territory.Level.CITY])
            .defer("boundary")
            .by_name()
        )

    def covering(self, location):
        """Territories whose boundary covers the point (a point on a shared edge counts)."""
        return self.filter(boundary__isnull=False, boundary__covers=location)

    def within(self, territory):
        """The territory and everything under it (the tree is at most five levels deep)."""
        return self.filter(
            Q(pk=territory.pk)
            | Q(parent=territory)
            | Q(parent__parent=territory)
            | Q(parent__parent__parent=territory)
            | Q(parent__parent__parent__parent=territory)
        )

    def enclosing(self, territory):
        """The territory and every territory above it (Le Blosne, Rennes, … France), in one query."""
        return self.filter(
            Q(pk=territory.pk)
            | Q(children=territory)
            | Q(children__children=territory)
            | Q(children__children__children=territory)
            | Q(children__children__children__children=territory)
        ).distinct()

    def by_name(self):
        return self.order_by("name", "pk")


class Territory(models.Model):
    class Level(models.TextChoices):
        DISTRICT = "DISTRICT", _("Quartier ou commune")
        CITY = "CITY", _("Ville")
        DEPARTMENT = "DEPARTMENT", _("Département")
        REGION = "REGION", _("Région")
        COUNTRY = "COUNTRY", _("Pays")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territoire parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        _("code INSEE"),
        max_length=10,
        blank=True,
        help_text=_("Code INSEE de la commune, du département ou de la région, ou code du quartier."),
    )
    boundary = models.MultiPolygonField(_("contour"), srid=4326, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année de population"), null=True, blank=True)
    population_source = models.CharField(_("source de la population"), max_length=300, blank=True)
    is_priority_area = models.BooleanField(
        _("quartier prioritaire"),
        default=False,
        help_text=_("Quartier prioritaire de la politique de la ville (QPV)."),
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=~Q(code=""),
                name="territory_code_unique_per_level",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population__gte=0),
                name="territory_population_not_negative",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="territory_not_its_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("districts:detail", args=[self.slug])

    def ancestors(self) -> list["Territory"]:
        """Parents from the nearest up (Le Blosne -> Rennes, Ille-et-Vilaine, Bretagne, France)."""
        chain, current, seen = [], self.parent, {self.pk}
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.parent
        return chain


class DensityFigure(models.Model):
    """An official density figure, as published by its source (never computed here)."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="densities"
    )
    profession = models.ForeignKey(
        "professionals.Profession",
        verbose_name=_("profession"),
        on_delete=models.PROTECT,
        related_name="densities",
    )
    per_10k = models.DecimalField(
        _("pour 10 000 habitants"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Les sources qui publient pour 100 000 habitants sont divisées par 10."),
    )
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, help_text=_("Vide si la source ne la précise pas.")
    )
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("lien vers la source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("densité officielle")
        verbose_name_plural = _("densités officielles")
        constraints = [
            models.CheckConstraint(condition=Q(per_10k__gte=0), name="density_not_negative"),
            models.UniqueConstraint(
                fields=["territory", "profession", "year", "source"],
                name="density_unique_per_source_and_year",
            ),
        ]

    def __str__(self):
        return f"{self.territory} · {self.profession} · {self.per_10k}"
