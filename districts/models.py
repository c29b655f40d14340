import operator
from functools import reduce

from django.contrib.gis.db import models
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from config.geo import validate_wgs84
from config.text import french_in, french_of


class TerritoryQuerySet(models.QuerySet):
    def districts(self):
        return self.filter(level=Territory.Level.DISTRICT)

    def places(self):
        """Quartiers, communes and cities, as residents pick them in a search form."""
        return self.filter(level__in=PLACES).defer("boundary").by_name()

    def covering(self, location):
        """Territories whose boundary covers the point (a point on a shared edge counts)."""
        return self.filter(boundary__isnull=False, boundary__covers=location)

    def within(self, territory):
        """The territory and everything under it, whatever the depth of the tree (LEVELS)."""
        return self.filter(
            reduce(operator.or_, [Q(pk=territory.pk), *(Q(**{up: territory}) for up in ANCESTORS)])
        )

    def enclosing(self, territory):
        """The territory and every territory above it (Le Blosne, Rennes, … France)."""
        return self.enclosing_any([territory.pk])

    def enclosing_any(self, territory_ids):
        """Those territories and every territory above any of them.

        The ids come from one query following `parent` up the whole tree (primary-key joins): filtering on an OR
        of reverse joins instead costs a scan of the whole tree once it has 35,000 communes.
        """
        ids = {pk for pk in territory_ids if pk}
        chains = Territory.objects.filter(pk__in=ids).values_list(*ANCESTORS)
        ids |= {pk for chain in chains for pk in chain if pk}
        return self.filter(pk__in=ids)

    def by_name(self):
        return self.order_by("name", "pk")

    def for_list(self, sort: str = "name"):
        """Quartiers, communes and cities as /districts/ lists them: by city or department, then by `sort`.

        Sorted in SQL, so the list can be paginated whatever the number of communes. The official figure
        sorted on is the newest GP figure; the page shows the one from its city's source where there is one.
        """
        counts = DirectoryCount.objects.filter(territory=OuterRef("pk")).values("territory")
        gp_figures = DensityFigure.objects.filter(territory=OuterRef("pk"), profession__counts_as_gp=True)
        listed = self.filter(level__in=PLACES).annotate(
            hub_total=Coalesce(
                Subquery(counts.filter(profession__isnull=True).annotate(n=Sum("count")).values("n")), 0
            ),
            gp_total=Coalesce(
                Subquery(counts.filter(profession__counts_as_gp=True).annotate(n=Sum("count")).values("n")), 0
            ),
            official_gp=Subquery(
                gp_figures.order_by(F("year").desc(nulls_last=True), "pk").values("per_10k")[:1]
            ),
            computed_gp=ExpressionWrapper(
                F("gp_total") * 10_000.0 / NullIf(F("population"), 0), FloatField()
            ),
        )
        keys = {
            "name": "name",
            "population": "population",
            "hubs": "hub_total",
            "computed": "computed_gp",
            "official": "official_gp",
        }
        key = F(keys[sort.lstrip("-")])
        key = key.desc(nulls_last=True) if sort.startswith("-") else key.asc(nulls_last=True)
        # Grouped by list_head, the city first ("CITY" < "DISTRICT"); by name, that is the index's own order.
        return listed.order_by("list_head", "level", key, "name", "pk")

    def for_rows(self, ids) -> list["Territory"]:
        """These territories, in this order, with their parents and without boundaries."""
        found = self.select_related("parent").defer("boundary", "parent__boundary").in_bulk(list(ids))
        return [found[pk] for pk in ids if pk in found]


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
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        db_index=True,
        help_text=_("Code postal principal d'une commune."),
    )
    boundary = models.MultiPolygonField(
        _("contour"), srid=4326, null=True, blank=True, validators=[validate_wgs84]
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année de population"), null=True, blank=True)
    population_source = models.CharField(_("source de la population"), max_length=300, blank=True)
    is_priority_area = models.BooleanField(
        _("quartier prioritaire"),
        default=False,
        help_text=_("Quartier prioritaire de la politique de la ville (QPV)."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_index=True)
    # The name /districts/ lists it under: a city's own, a quartier's or commune's parent's. Kept by save() (and
    # by whoever bulk-creates): ordered on it, the list reads an index instead of sorting every place in France.
    list_head = models.CharField(max_length=200, blank=True, editable=False)

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
        indexes = [
            # for_list()'s default order; "CITY" sorts before "DISTRICT", so a city comes before its quartiers.
            models.Index(
                fields=["list_head", "level", "name", "id"],
                name="territory_list_order",
                condition=Q(level__in=["DISTRICT", "CITY"]),
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        territory = super().from_db(db, field_names, values)
        territory._loaded_name = territory.__dict__.get("name")  # to know, on save, whether it was renamed
        return territory

    def save(self, *args, **kwargs):
        self.list_head = (
            self.name if self.level == self.Level.CITY or self.parent_id is None else self.parent.name
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "list_head"}
        super().save(*args, **kwargs)
        if getattr(self, "_loaded_name", self.name) != self.name:
            # A renamed city or department: its quartiers and communes are listed under the new name.
            self.children.exclude(level=self.Level.CITY).update(list_head=self.name)
            self._loaded_name = self.name

    @property
    def located(self) -> str:
        """Where, in the page's language: « au Blosne », « en Ille-et-Vilaine »; "in Le Blosne"."""
        if translation.get_language() != "fr":
            return f"in {self.name}"
        return french_in(
            self.name, area=self.level in {self.Level.DEPARTMENT, self.Level.REGION, self.Level.COUNTRY}
        )

    @property
    def of_place(self) -> str:
        """Of where, in the page's language: « du Blosne », « de l'Ille-et-Vilaine »; "of Le Blosne"."""
        if translation.get_language() != "fr":
            return f"of {self.name}"
        return french_of(
            self.name, area=self.level in {self.Level.DEPARTMENT, self.Level.REGION, self.Level.COUNTRY}
        )

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


# The tree, described once. Levels from the smallest up; adding one (IRIS under the quartier) changes LEVELS and
# the importer, and every lookup below follows.
LEVELS = list(Territory.Level)
TREE_DEPTH = len(LEVELS)  # a territory has at most this many territories on its way up, itself included
ANCESTORS = ["__".join(["parent"] * hops) for hops in range(1, TREE_DEPTH)]  # parent, parent__parent, …
PLACES = [Territory.Level.DISTRICT, Territory.Level.CITY]  # what residents pick, and /districts/ lists


def level_rank(field: str = "level") -> Case:
    """A level's place in LEVELS (0 for the smallest), to order by size rather than by the code's spelling."""
    whens = [When(**{field: level}, then=Value(rank)) for rank, level in enumerate(LEVELS)]
    return Case(*whens, output_field=IntegerField())


class DensityFigureQuerySet(models.QuerySet):
    def for_gps_around(self, territory):
        """GP figures of a hub's quartier and city, newest first: what a hub page sets beside it."""
        return (
            self.filter(territory__in=Territory.objects.enclosing(territory), profession__counts_as_gp=True)
            .filter(territory__level__in=PLACES)
            .select_related("territory", "profession")
            .defer("territory__boundary")
            .order_by(level_rank("territory__level"), "-year", "pk")  # the quartier's before its city's
        )


class DensityFigure(models.Model):
    """An official density figure, as published by its source (never computed here)."""

    territory = models.ForeignKey(
        # Official figures are sources: a territory that has some cannot be deleted by accident.
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="densities",
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

    objects = DensityFigureQuerySet.as_manager()

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


class CompleteDirectory(models.Model):
    """The directory is known to hold every professional of this profession practising in the territory (and
    under it): a registry import covered it, or the city checked. Only there are densities computed from the
    directory shown; elsewhere a page says the directory is incomplete, not that a place has no doctor."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="complete_directories")
    profession = models.ForeignKey("professionals.Profession", on_delete=models.CASCADE)
    source = models.CharField(_("établi par"), max_length=200)
    as_of = models.DateField(_("à la date du"))

    class Meta:
        verbose_name = _("annuaire complet")
        verbose_name_plural = _("annuaires complets")
        constraints = [
            models.UniqueConstraint(fields=["territory", "profession"], name="complete_directory_once"),
        ]

    def __str__(self):
        return f"{self.territory} · {self.profession}"


class DirectoryCount(models.Model):
    """What the directory holds under a territory (the territory and everything below it).

    A row counts published hubs (no profession), or active professionals of one profession who practise in
    them, by planned retirement year. The hubs app keeps these rows up to date on every write
    (`hubs.services.recount_territories`): territory pages read counts without loading the directory, and
    this app needs nothing from the apps above it. Never shown per person (see `districts/stats.py`).
    """

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="directory_counts")
    profession = models.ForeignKey(
        "professionals.Profession", on_delete=models.CASCADE, null=True, blank=True
    )
    planned_retirement_year = models.PositiveSmallIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("décompte de l'annuaire")
        verbose_name_plural = _("décomptes de l'annuaire")
        indexes = [models.Index(fields=["territory", "profession"], name="directory_count_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(profession__isnull=False) | Q(planned_retirement_year__isnull=True),
                name="directory_count_hubs_have_no_year",
            )
        ]

    def __str__(self):
        return f"{self.territory} · {self.profession or 'lieux'} · {self.count}"

    @classmethod
    def professionals_in_directory(cls) -> int:
        """Active professionals in published hubs, from the counts of the top of the tree (no scan)."""
        tops = cls.objects.filter(territory__parent__isnull=True, profession__isnull=False)
        return tops.aggregate(total=models.Sum("count"))["total"] or 0


# The population grid's models live in their own module; imported here so Django finds them.
from districts.grid import AplFigure, PopulationCell, TerritoryAccess  # noqa: E402, F401
