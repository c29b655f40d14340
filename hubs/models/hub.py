"""Hubs and the services they offer; what they are searched and counted by."""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config import geo, provenance
from config.booking import Bookable
from config.choices import Availability, Weekday
from config.roles import is_city_editor
from config.text import SearchableQuerySet, normalise
from hubs.models.accessibility import Accessible
from hubs.models.schedule import PARIS, Closure, OpeningHours, closures_by_date, french_holidays, next_change
from hubs.models.service import Service, services_by_name
from hubs.schema import SEARCHED_FIELDS
from professionals.models import Membership, Professional

# Sent after a bulk `update(published=…)`, which sends no post_save: hubs/signals.py keeps what depends on
# publication (who is listed, the counts, the maps) true on this path too.
published_in_bulk = Signal()


class HubQuerySet(SearchableQuerySet):
    def update(self, **kwargs):
        if "published" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic():
            ids = list(self.values_list("pk", flat=True))
            updated = super().update(**kwargs)
            published_in_bulk.send(sender=Hub, hub_ids=ids)
        return updated

    def vocabulary_texts(self):
        services = Service.objects.values_list("name", flat=True)
        return [*Professional.objects.vocabulary_texts(), *services, *map(str, Hub.Kind.labels)]

    def published(self):
        return self.filter(published=True)

    def in_territories(self, territories):
        return self.filter(territory__in=territories)

    def editable_by(self, user):
        """Every hub for a city editor, their own hubs for a manager, none for anyone else."""
        if is_city_editor(user):
            return self
        if not (user.is_active and user.is_staff):
            return self.none()
        return self.filter(managers=user)

    def by_name(self):
        return self.order_by("name", "pk")

    def near(self, point, *, km: float):
        """Within km of the point, with .distance; a bounding box first so the spatial index does the work."""
        return (
            self.filter(location__within=geo.bbox_around(point, km))
            .filter(location__distance_lte=(point, D(km=km)))
            .annotate(distance=Distance("location", point))
        )

    def offering(self, services):
        """Offering any of these services: a semi-join, so no DISTINCT over the whole directory."""
        offered = Hub.services.through.objects.filter(hub=OuterRef("pk"), service__in=services)
        return self.filter(Exists(offered))

    def with_profession(self, professions):
        """Where one of these professions practises (an active member) or is offered as a service."""
        practising = Membership.objects.filter(
            hub=OuterRef("pk"), professional__profession__in=professions, professional__active=True
        )
        offered = Hub.services.through.objects.filter(hub=OuterRef("pk"), service__profession__in=professions)
        return self.filter(Exists(practising) | Exists(offered))

    def where_practise(self, professionals):
        """Where one of these professionals practises (an active member): a semi-join."""
        members = Membership.objects.filter(hub=OuterRef("pk"), professional__in=professionals.active())
        return self.filter(Exists(members))

    def checked_before(self, day: datetime.date):
        """Neither verified by the city nor confirmed by the hub since `day` (or never)."""
        verified = Q(last_verified_on__isnull=False, last_verified_on__gte=day)
        confirmed = Q(confirmed_by_hub_on__isnull=False, confirmed_by_hub_on__gte=day)
        return self.exclude(verified | confirmed)

    def stale(self, today: datetime.date | None = None):
        """Not verified by a person for STALE_AFTER_DAYS days, or never."""
        limit = (today or timezone.localdate()) - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
        return self.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=limit))

    def open_at(self, moment: datetime.datetime):
        """Paris time, closed on French holidays; semi-joins on hours and closures, so no DISTINCT."""
        local = timezone.localtime(moment, PARIS)
        day, now = local.date(), local.time()
        if day in french_holidays(day.year):
            return self.none()
        hours = OpeningHours.objects.filter(
            hub=OuterRef("pk"), weekday=day.weekday(), opens__lte=now, closes__gt=now
        )
        closed = Closure.objects.filter(hub=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day)
        return self.filter(Exists(hours)).exclude(Exists(closed))

    def awaiting_review(self):
        """Registry-made, unpublished, and no editor has decided on "published" yet (REGISTRY_HUBS_PUBLISHED)."""
        return self.filter(
            published=False, status=Hub.Status.OPEN, provenance__finess__by=provenance.FINESS
        ).exclude(provenance__has_key="published")

    def for_cards(self):
        """What a result card shows: its territory and services (its hours: prefetched for the page shown)."""
        return (
            self.select_related("territory")
            .defer("territory__boundary")
            .prefetch_related(
                models.Prefetch("services", Service.objects.only("name").order_by("name", "pk"))
            )
        )

    def for_listing(self):
        return (
            self.select_related("territory")
            .defer("territory__boundary")
            .prefetch_related(services_by_name(), "opening_hours", closures_by_date())
        )

    def for_page(self):
        return (
            self.select_related("territory__parent")
            .defer("territory__boundary", "territory__parent__boundary")
            .prefetch_related(
                services_by_name(),
                "opening_hours",
                closures_by_date(),
                # Funders belong to programmes, above this app: named, not imported.
                models.Prefetch(
                    "supporters", apps.get_model("programmes", "Funder").objects.order_by("name", "pk")
                ),
                models.Prefetch("memberships", Membership.objects.select_related("professional__profession")),
                "fundings__programme",  # declared by programmes, above this app: followed by name only
            )
        )


class Hub(Bookable, Accessible):
    class Kind(models.TextChoices):
        MSP = "MSP", _("Maison de santé pluriprofessionnelle")
        CENTRE_DE_SANTE = "CENTRE_DE_SANTE", _("Centre de santé")
        POLE_DE_SANTE = "POLE_DE_SANTE", _("Pôle de santé (PSLA)")
        POLE_RESSOURCES_SANTE = "POLE_RESSOURCES_SANTE", _("Pôle ressources santé")
        ESPACE_SANTE = "ESPACE_SANTE", _("Espace santé")
        PHARMACY = "PHARMACY", _("Pharmacie")
        # Open evenings, weekends and holidays for patients without their own doctor then: the "tonight" box.
        MAISON_MEDICALE_GARDE = "MAISON_MEDICALE_GARDE", _("Maison médicale de garde")
        OTHER = "OTHER", _("Autre")

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Ouvert")
        PROJECT = "PROJECT", _("En projet")
        CLOSED = "CLOSED", _("Fermé définitivement")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.OPEN)
    description = models.TextField(_("présentation"), blank=True)

    street = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    location = models.PointField(
        _("position"), srid=4326, null=True, blank=True, validators=[geo.validate_wgs84]
    )
    territory = models.ForeignKey(
        "districts.Territory",
        verbose_name=_("quartier ou commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hubs",
        help_text=_("Déduit de la position, sauf si « fixé à la main » est coché."),
    )
    territory_set_by_hand = models.BooleanField(_("quartier fixé à la main"), default=False)

    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), max_length=300, blank=True)

    services = models.ManyToManyField(Service, verbose_name=_("services"), blank=True, related_name="hubs")
    # None: nobody said (a registry never does); shown as "non renseigné", never as "non".
    tiers_payant = models.BooleanField(_("tiers payant"), null=True, blank=True, default=None)
    accepting_new_patients = models.CharField(
        _("accepte de nouveaux patients"),
        max_length=10,
        choices=Availability.choices,
        default=Availability.UNKNOWN,
    )
    accepting_as_of = models.DateField(_("information à jour au"), null=True, blank=True)
    languages = models.CharField(
        _("langues parlées"), max_length=200, blank=True, help_text=_("Séparées par des virgules.")
    )
    ars_recognised = models.BooleanField(_("reconnu par l'ARS"), default=False)
    participatory = models.BooleanField(_("démarche participative"), default=False)
    opened_on = models.DateField(_("ouvert le"), null=True, blank=True)
    last_verified_on = models.DateField(
        _("vérifié le"), null=True, blank=True, help_text=_("Date de la dernière vérification humaine.")
    )
    # "Rien n'a changé", from the reminder link its managers receive: the hub's word, kept apart from the city's
    # verification (an editor's act).
    confirmed_by_hub_on = models.DateField(
        _("confirmé par le lieu le"), null=True, blank=True, editable=False
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestionnaires du lieu"),
        blank=True,
        related_name="managed_hubs",
        help_text=_("Comptes qui peuvent modifier ce lieu (horaires, fermetures, services, professionnels)."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Augmente à chaque enregistrement : deux éditions ne s'écrasent pas."),
    )
    finess = models.CharField(_("numéro FINESS"), max_length=9, null=True, blank=True, unique=True)
    siret = models.CharField(_("numéro SIRET"), max_length=14, blank=True, db_index=True)
    provenance = models.JSONField(_("origine des valeurs"), default=dict, blank=True, editable=False)
    published = models.BooleanField(_("publié"), default=True)
    supporters = models.ManyToManyField(
        "programmes.Funder",
        verbose_name=_("soutiens et financeurs"),
        blank=True,
        related_name="supported_hubs",
    )
    source = models.CharField(_("source des informations"), max_length=300, blank=True)
    source_url = models.URLField(_("lien vers la source"), max_length=500, blank=True)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("La fiche contient des valeurs inventées pour la démonstration."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    # The location's coordinates as plain numbers, kept by the database itself: the national map groups
    # 100,000 hubs by them three times faster than by reading each point's geometry (hubs/map_data.py).
    lng = models.GeneratedField(
        expression=models.Func("location", function="ST_X"), output_field=models.FloatField(), db_persist=True
    )
    lat = models.GeneratedField(
        expression=models.Func("location", function="ST_Y"), output_field=models.FloatField(), db_persist=True
    )

    objects = HubQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["search_text", "lng", "lat", "updated_at", "provenance"],
        m2m_fields=["services", "supporters", "managers"],
    )

    class Meta:
        constraints = Bookable.Meta.constraints
        verbose_name = _("lieu de santé")
        verbose_name_plural = _("lieux de santé")
        indexes = [
            models.Index(fields=["published", "name"], name="hub_published_name"),
            # The national map reads only this index (an index-only scan): 100,000 points in 30 ms.
            models.Index(
                fields=["lng", "lat", "id"], condition=Q(published=True), name="hub_published_points"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hubs:detail", args=[self.slug])

    def save(self, *args, **kwargs):
        self.finess = self.finess or None  # empty is NULL, so the unique constraint allows many
        if not self.territory_set_by_hand:
            self.territory = self.district_at_location()
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    @property
    def last_checked_on(self) -> datetime.date | None:  # the city's verification or the hub's confirmation
        return max(filter(None, [self.last_verified_on, self.confirmed_by_hub_on]), default=None)

    def editable_by(self, user) -> bool:
        return Hub.objects.editable_by(user).filter(pk=self.pk).exists()

    def practising(self) -> list:
        """Active professionals' memberships, by profession then name (from for_page()'s prefetch)."""
        return sorted(
            (m for m in self.memberships.all() if m.professional.active),
            key=lambda m: (m.professional.profession.name, m.professional.display_name),
        )

    def head_count(self, profession) -> int:
        return sum(1 for m in self.practising() if m.professional.profession == profession)

    def services_by_category(self) -> list[tuple[str, list["Service"]]]:
        services = sorted(self.services.all(), key=lambda s: s.name)
        return [
            (label, [s for s in services if s.category == value])
            for value, label in Service.Category.choices
            if any(s.category == value for s in services)
        ]

    def district_at_location(self):
        from districts.models import Territory

        if self.location is None:
            return None
        return Territory.objects.districts().covering(self.location).order_by("pk").first()

    def build_search_text(self) -> str:
        # The hub's own searched fields (hubs/schema.py), as a resident would type them: choices by their label.
        parts = [self.searched_value(name) for name in SEARCHED_FIELDS if name != "services"]
        if self.pk:
            # In a fixed order: the same hub gives the same text, run after run, on every database.
            for service in self.services.select_related("profession").order_by("pk"):
                parts.append(service.name)
                if service.profession:
                    parts += [service.profession.name, service.profession.synonyms]
            practising = self.memberships.filter(professional__active=True)  # not who left
            for membership in practising.select_related("professional__profession").order_by("pk"):
                profession = membership.professional.profession
                parts += [profession.name, profession.synonyms]
        return normalise(" ".join(str(p) for p in parts if p))

    def searched_value(self, name: str):
        field = self._meta.get_field(name)
        if field.choices:
            return getattr(self, f"get_{name}_display")()
        if field.is_relation:
            return getattr(self, name) if getattr(self, field.attname) else None
        return getattr(self, name)

    def refresh_search_text(self):
        Hub.objects.filter(pk=self.pk).update(search_text=self.build_search_text())

    @property
    def full_address(self) -> str:
        return ", ".join(p for p in [self.street, f"{self.postcode} {self.city}".strip()] if p)

    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]

    # Opening hours: computed from prefetched rows, so a list of hubs costs no extra query.

    def closure_on(self, day: datetime.date):
        return next((c for c in self.closures.all() if c.starts_on <= day <= c.ends_on), None)

    def is_open_at(self, moment: datetime.datetime | None = None) -> bool:
        local = timezone.localtime(moment or timezone.now(), PARIS)
        day = local.date()
        if day in french_holidays(day.year) or self.closure_on(day):
            return False
        now = local.time()
        return any(h.weekday == day.weekday() and h.opens <= now < h.closes for h in self.opening_hours.all())

    def next_change(self, moment: datetime.datetime | None = None):
        return next_change(self.opening_hours.all(), self.closures.all(), moment or timezone.now())

    def note_opening(self, moment: datetime.datetime) -> None:
        """open_now (None: hours not known, never "closed") and the next opening or closing, for a page."""
        known = bool(self.opening_hours.all())
        self.open_now = self.is_open_at(moment) if known else None
        self.change = self.next_change(moment) if known else None

    def week_hours(self) -> list[tuple[str, list["OpeningHours"]]]:
        rows = sorted(self.opening_hours.all(), key=lambda h: (h.weekday, h.opens))
        return [(label, [h for h in rows if h.weekday == value]) for value, label in Weekday.choices]
