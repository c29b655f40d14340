"""When a hub is open: weekly hours (several intervals a day) and exceptional closures."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.choices import Weekday


class OpeningHours(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouvre à"))
    closes = models.TimeField(_("ferme à"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plage d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="hours_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="hours_close_after_open"),
            models.UniqueConstraint(fields=["hub", "weekday", "opens"], name="hours_unique_interval"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.starts_on} → {self.ends_on}"


# Related lists in a stable order: unordered, PostgreSQL returns rows as they lie on disk (a restore reorders).
def closures_by_date() -> models.Prefetch:
    return models.Prefetch("closures", Closure.objects.order_by("starts_on", "pk"))
