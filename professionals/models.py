from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.booking import Bookable
from config.choices import Availability, Weekday
from config.text import SearchableQuerySet, normalise

RPPS_PATTERN = r"^[0-9]{11}$"
WEEKDAYS_PATTERN = r"^[0-6]*$"


class Profession(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    counts_as_gp = models.BooleanField(
        _("compte comme médecin généraliste"),
        default=False,
        help_text=_("Entre dans le calcul de la densité de médecins généralistes."),
    )
    synonyms = models.CharField(
        _("autres noms"),
        max_length=300,
        blank=True,
        help_text=_("Termes que les habitants tapent (« kiné », « généraliste »…)."),
    )

    class Meta:
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    def __str__(self):
        return self.name


# Sent after a bulk `update(active=…)`, which sends no post_save: hubs/signals.py keeps the listing true.
activity_changed_in_bulk = Signal()


class ProfessionalQuerySet(SearchableQuerySet):
    name_field = "display_name"

    def update(self, **kwargs):
        if "active" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic():
            ids = list(self.values_list("pk", flat=True))
            updated = super().update(**kwargs)
            activity_changed_in_bulk.send(sender=Professional, professional_ids=ids)
        return updated

    def vocabulary_texts(self):
        return [text for pair in Profession.objects.values_list("name", "synonyms") for text in pair]

    def active(self):
        return self.filter(active=True)

    def public(self):
        """Whom the public pages show: active people practising in at least one published hub.

        Read from `listed`, which the hubs app keeps on every write (hubs/counts.py): an indexed flag, so
        counting and paging 500,000 professionals does not join their memberships.
        """
        return self.filter(listed=True)

    def worth_listing(self):
        """The rule behind `listed`, as a query."""
        return self.active().filter(Exists(Membership.objects.public().filter(professional=OuterRef("pk"))))

    def without_overrun(self):
        return self.filter(WITHOUT_OVERRUN)

    def general_practitioners(self):
        return self.filter(profession__counts_as_gp=True)

    def practising_in(self, territories):
        """In the published hubs of these territories: where someone practises unpublished is not public."""
        here = Membership.objects.public().filter(professional=OuterRef("pk"), hub__territory__in=territories)
        return self.filter(Exists(here))


class Sector(models.TextChoices):
    SECTEUR_1 = "SECTEUR_1", _("Secteur 1")
    SECTEUR_2 = "SECTEUR_2", _("Secteur 2")
    NON_CONVENTIONNE = "NON_CONVENTIONNE", _("Non conventionné")
    UNKNOWN = "UNKNOWN", _("Non renseigné")


# "Sans dépassement d'honoraires" as the Assurance Maladie counts it: secteur 1, or secteur 2 under OPTAM
# (whose fees above the tariff are capped and better refunded).
WITHOUT_OVERRUN = Q(sector=Sector.SECTEUR_1) | Q(sector=Sector.SECTEUR_2, optam=True)
WITHOUT_OVERRUN_LABEL = _("Sans dépassement d'honoraires (secteur 1, ou secteur 2 avec OPTAM)")


class Professional(Bookable):
    display_name = models.CharField(_("nom affiché"), max_length=200)
    profession = models.ForeignKey(
        Profession, verbose_name=_("profession"), on_delete=models.PROTECT, related_name="people"
    )
    rpps = models.CharField(
        _("numéro RPPS"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(RPPS_PATTERN, _("Le numéro RPPS compte exactement 11 chiffres."))],
    )
    languages = models.CharField(
        _("langues parlées"),
        max_length=200,
        blank=True,
        help_text=_("Séparées par des virgules : français, anglais, arabe…"),
    )
    accepting_new_patients = models.CharField(
        _("accepte de nouveaux patients"),
        max_length=10,
        choices=Availability.choices,
        default=Availability.UNKNOWN,
    )
    accepting_as_of = models.DateField(_("information à jour au"), null=True, blank=True)
    # What a consultation costs (a doctor's "secteur"), as the Assurance Maladie's directory says it.
    sector = models.CharField(
        _("secteur conventionnel"), max_length=20, choices=Sector.choices, default=Sector.UNKNOWN
    )
    optam = models.BooleanField(_("adhère à l'OPTAM"), null=True, blank=True, default=None)
    carte_vitale = models.BooleanField(_("lit la carte Vitale"), null=True, blank=True, default=None)
    fees_as_of = models.DateField(_("tarifs à jour au"), null=True, blank=True)
    active = models.BooleanField(_("en activité"), default=True)
    planned_retirement_year = models.PositiveSmallIntegerField(
        _("départ en retraite prévu"),
        null=True,
        blank=True,
        help_text=_("Jamais affiché pour une personne : seulement agrégé par territoire."),
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    provenance = models.JSONField(_("origine des valeurs"), default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    listed = models.BooleanField(default=False, editable=False)  # see ProfessionalQuerySet.public()

    objects = ProfessionalQuerySet.as_manager()
    # Never shown for a person (only aggregated per territory): changing it must change nothing public,
    # not even `updated_at`, which the API, FHIR and Last-Modified publish.
    NEVER_PUBLIC = frozenset({"planned_retirement_year"})
    history = HistoricalRecords(excluded_fields=["search_text", "listed", "updated_at", "provenance"])

    class Meta:
        verbose_name = _("professionnel de santé")
        verbose_name_plural = _("professionnels de santé")
        # The public directory in name order, a page at a time.
        indexes = [models.Index(fields=["listed", "display_name", "id"], name="professional_listed_name")]
        constraints = [
            *Bookable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(rpps__isnull=True) | Q(rpps__regex=RPPS_PATTERN),
                name="professional_rpps_eleven_digits",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # An empty RPPS must be NULL, or the unique constraint would allow only one.
        self.rpps = self.rpps or None
        profession = self.profession
        self.search_text = normalise(f"{self.display_name} {profession.name} {profession.synonyms}")
        loaded = getattr(self, "_loaded", {})
        changed = {name for name, value in loaded.items() if getattr(self, name) != value}
        if changed and changed <= self.NEVER_PUBLIC and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = sorted(changed)
        super().save(*args, **kwargs)
        self._loaded = {field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields}

    def get_absolute_url(self):
        return reverse("professionals:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._loaded = dict(zip(field_names, values, strict=True))
        return record


class MembershipQuerySet(models.QuerySet):
    def public(self):
        """Where the public may see someone practise: published hubs only."""
        return self.filter(hub__published=True)


class Membership(models.Model):
    """A professional practises in a hub; one person may practise in several."""

    professional = models.ForeignKey(
        Professional,
        verbose_name=_("professionnel"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=120, blank=True)
    days_present = models.CharField(
        _("jours de présence"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(WEEKDAYS_PATTERN, _("Jours de 0 (lundi) à 6 (dimanche)."))],
        help_text=_("Jours de 0 (lundi) à 6 (dimanche), par exemple 0124."),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exercice dans un lieu")
        verbose_name_plural = _("exercices dans des lieux")
        constraints = [
            models.UniqueConstraint(fields=["professional", "hub"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(days_present__regex=WEEKDAYS_PATTERN), name="membership_days_0_to_6"
            ),
        ]

    def __str__(self):
        return f"{self.professional} @ {self.hub}"

    def weekday_labels(self) -> list[str]:
        return [Weekday(day).label for day in sorted({int(d) for d in self.days_present})]
