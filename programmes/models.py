import datetime
from collections import defaultdict

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.text import SearchableQuerySet, normalise
from districts.models import Territory


class Funder(models.Model):
    class Kind(models.TextChoices):
        CITY = "CITY", _("Commune")
        METROPOLE = "METROPOLE", _("Métropole ou intercommunalité")
        DEPARTMENT = "DEPARTMENT", _("Département")
        REGION = "REGION", _("Région")
        STATE = "STATE", _("État")
        ARS = "ARS", _("Agence régionale de santé")
        ASSURANCE_MALADIE = "ASSURANCE_MALADIE", _("Assurance Maladie")
        EU = "EU", _("Union européenne")
        OTHER = "OTHER", _("Autre")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("site web"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")

    def __str__(self):
        return self.name


class SupportType(models.Model):
    """What a programme provides; a table so programmes can have several and filters can join."""

    class Code(models.TextChoices):
        FINANCIAL = "FINANCIAL", _("Aide financière")
        PREMISES = "PREMISES", _("Locaux et immobilier")
        ENGINEERING = "ENGINEERING", _("Ingénierie et accompagnement de projet")
        NETWORKING = "NETWORKING", _("Mise en réseau")
        TRAINING = "TRAINING", _("Formation")
        COORDINATION = "COORDINATION", _("Coordination")
        OTHER = "OTHER", _("Autre")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)

    class Meta:
        verbose_name = _("type de soutien")
        verbose_name_plural = _("types de soutien")

    def __str__(self):
        return self.get_code_display()


class Beneficiary(models.Model):
    """Who may apply; a table for the same reason as SupportType."""

    class Code(models.TextChoices):
        HEALTH_PROFESSIONALS = "HEALTH_PROFESSIONALS", _("Professionnels de santé")
        HEALTH_CENTRES = "HEALTH_CENTRES", _("Maisons, pôles et centres de santé")
        ASSOCIATIONS = "ASSOCIATIONS", _("Associations")
        MUNICIPALITIES = "MUNICIPALITIES", _("Communes")
        INTERMUNICIPALITIES = "INTERMUNICIPALITIES", _("Intercommunalités")
        PUBLIC_BODIES = "PUBLIC_BODIES", _("Établissements publics")
        COMPANIES = "COMPANIES", _("Entreprises")
        RESIDENTS = "RESIDENTS", _("Habitants")
        OTHER = "OTHER", _("Autres")

    code = models.CharField(_("code"), max_length=24, choices=Code.choices, unique=True)

    class Meta:
        verbose_name = _("bénéficiaire éligible")
        verbose_name_plural = _("bénéficiaires éligibles")

    def __str__(self):
        return self.get_code_display()


class SupportProgrammeQuerySet(SearchableQuerySet):
    def open_on(self, day: datetime.date):
        started = Q(starts_on__isnull=True) | Q(starts_on__lte=day)
        not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        deadline_ahead = Q(application_deadline__isnull=True) | Q(application_deadline__gte=day)
        return self.filter(started & not_ended & deadline_ahead)

    def closed_on(self, day: datetime.date):
        return self.filter(Q(ends_on__lt=day) | Q(application_deadline__lt=day))

    def upcoming_on(self, day: datetime.date):
        return self.filter(starts_on__gt=day).exclude(Q(ends_on__lt=day) | Q(application_deadline__lt=day))

    def with_status_on(self, status: str, day: datetime.date):
        return {
            SupportProgramme.Status.OPEN: self.open_on,
            SupportProgramme.Status.UPCOMING: self.upcoming_on,
            SupportProgramme.Status.CLOSED: self.closed_on,
        }[status](day)

    def applying_to(self, territory):
        """Programmes covering the territory or any of its parents (Normandie covers its communes)."""
        return self.filter(territories__in=Territory.objects.enclosing(territory)).distinct()

    def nearest_deadline_first(self, today: datetime.date | None = None):
        """Deadlines still ahead, soonest first; then permanent programmes; then those past."""
        today = today or timezone.localdate()
        rank = models.Case(
            models.When(application_deadline__gte=today, then=0),
            models.When(application_deadline__isnull=True, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.annotate(deadline_rank=rank).order_by(
            "deadline_rank", "application_deadline", "name", "pk"
        )

    def names_of(self, relation: str, field: str = "name") -> dict[int, list[str]]:
        """Each programme's funders, territories, types or beneficiaries (relation) by one of their fields, from
        one query without model objects: an export lists the whole catalogue, and prefetching made an object,
        a manager and a queryset per programme and relation."""
        related = self.model._meta.get_field(relation)
        target = related.related_model
        choices = dict(target._meta.get_field(field).flatchoices)  # a code shows as its label
        rows = (
            related.remote_field.through.objects.filter(supportprogramme__in=self.values("pk"))
            .values_list("supportprogramme_id", f"{target._meta.model_name}__{field}")
            .order_by(f"{target._meta.model_name}__{field}")
        )
        names = defaultdict(list)
        for programme_id, value in rows:
            names[programme_id].append(str(choices.get(value, value)))
        return names

    def for_listing(self):
        # Territory names only: their outlines (the programme page's map) are read where they are drawn.
        covered = models.Prefetch("territories", Territory.objects.defer("boundary").order_by("name", "pk"))
        return self.prefetch_related(
            funders_by_name(),
            models.Prefetch("support_types", SupportType.objects.order_by("code", "pk")),
            covered,
        )


def funders_by_name() -> models.Prefetch:
    """A programme's funders in a stable order (unordered, PostgreSQL returns them as the rows lie on disk)."""
    return models.Prefetch("funders", Funder.objects.order_by("name", "pk"))


class SupportProgramme(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Ouvert")
        UPCOMING = "UPCOMING", _("À venir")
        CLOSED = "CLOSED", _("Clos")

    name = models.CharField(_("nom"), max_length=300)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    funders = models.ManyToManyField(Funder, verbose_name=_("financeurs"), related_name="programmes")
    support_types = models.ManyToManyField(
        SupportType, verbose_name=_("types de soutien"), blank=True, related_name="programmes"
    )
    beneficiaries = models.ManyToManyField(
        Beneficiary, verbose_name=_("bénéficiaires éligibles"), blank=True, related_name="programmes"
    )
    eligibility = models.TextField(_("conditions d'éligibilité"), blank=True)
    max_amount = models.DecimalField(
        _("montant maximal par projet (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_budget = models.DecimalField(
        _("budget total (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_period = models.CharField(
        _("période du budget"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple « d'ici à 2022 », « par an »."),
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    starts_year_only = models.BooleanField(
        _("seule l'année de début est connue"),
        default=False,
        help_text=_("La source dit « depuis 2012 » : la page n'invente pas de jour."),
    )
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    application_deadline = models.DateField(_("date limite de candidature"), null=True, blank=True)
    territories = models.ManyToManyField(
        "districts.Territory", verbose_name=_("territoires couverts"), blank=True, related_name="programmes"
    )
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(
        _("lien"), max_length=500, blank=True, help_text=_("Clé des imports : un lien, un programme.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    call_for_projects = models.BooleanField(_("appel à projets ou à manifestation d'intérêt"), default=False)
    recurrence = models.CharField(
        _("récurrence"), max_length=20, blank=True, help_text=_("Permanente, ponctuelle ou récurrente.")
    )
    created_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = SupportProgrammeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "created_at", "updated_at"])

    class Meta:
        verbose_name = _("programme de soutien")
        verbose_name_plural = _("programmes de soutien")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gte=0),
                name="programme_max_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="programme_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="programme_url_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalise(f"{self.name} {self.description} {self.eligibility}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("programmes:detail", args=[self.slug])

    def status_on(self, day: datetime.date) -> "SupportProgramme.Status":
        if self.starts_on and self.starts_on > day:
            return self.Status.UPCOMING
        last_day = min((d for d in (self.ends_on, self.application_deadline) if d), default=None)
        if last_day and last_day < day:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> "SupportProgramme.Status":
        return self.status_on(timezone.localdate())


class FundingQuerySet(models.QuerySet):
    def public(self):
        """What the public sees of a programme's support: only that given to published hubs."""
        return self.filter(hub__published=True)


class Funding(models.Model):
    """Support a programme gave a hub."""

    programme = models.ForeignKey(
        SupportProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="fundings"
    )
    hub = models.ForeignKey(
        # What a programme paid for stays on record: a hub with fundings is unpublished, not deleted.
        "hubs.Hub",
        verbose_name=_("lieu"),
        on_delete=models.PROTECT,
        related_name="fundings",
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=300, blank=True)

    objects = FundingQuerySet.as_manager()

    class Meta:
        verbose_name = _("soutien accordé")
        verbose_name_plural = _("soutiens accordés")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="funding_amount_not_negative"
            ),
            models.UniqueConstraint(fields=["programme", "hub", "year"], name="funding_unique_per_year"),
        ]

    def __str__(self):
        return f"{self.programme} → {self.hub}"
