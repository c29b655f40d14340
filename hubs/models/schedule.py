"""When a hub is open: weekly hours (several intervals a day) and exceptional closures."""

import datetime
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.choices import Weekday

PARIS = ZoneInfo("Europe/Paris")
OPENS, CLOSES = "OPENS", "CLOSES"


@cache
def french_holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year)


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


def closed_all_day(day: datetime.date, closures) -> bool:
    return day in french_holidays(day.year) or any(c.starts_on <= day <= c.ends_on for c in closures)


def next_change(hours, closures, moment: datetime.datetime) -> tuple[str, datetime.datetime] | None:
    """(CLOSES, when) if open at `moment`, else (OPENS, when), in Paris time, holidays and closures included;
    None without hours or without an opening in the next month. Back-to-back intervals count as one."""
    now = timezone.localtime(moment, PARIS)
    hours = sorted(hours, key=lambda h: h.opens)
    open_until = None
    for offset in range(32):  # a month: a summer closure is often three weeks
        day = now.date() + datetime.timedelta(days=offset)
        if closed_all_day(day, closures):
            if open_until:
                break
            continue
        for interval in (h for h in hours if h.weekday == day.weekday()):
            starts = datetime.datetime.combine(day, interval.opens, PARIS)
            ends = datetime.datetime.combine(day, interval.closes, PARIS)
            if open_until and starts > open_until:
                return CLOSES, open_until
            if open_until or starts <= now < ends:
                open_until = max(open_until or ends, ends)
            elif starts > now:
                return OPENS, starts
    return (CLOSES, open_until) if open_until else None
