"""Dates and times as each language writes them on a public page: « 1er septembre 2026 », « 14 h 30 » in French;
"1 September 2026", "2:30 p.m." in English."""

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def long_date(day) -> str:
    if not day:
        return ""
    if translation.get_language() != "fr":
        return date_format(day, "j F Y")
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {date_format(day, 'F Y')}"


@register.filter
def clock(moment) -> str:
    if translation.get_language() != "fr":
        return time_format(moment, "P")
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


@register.filter
def opening_change(change, now=None) -> str:
    """« ferme à 18 h 30 », « ouvre demain à 8 h 45 », « ouvre lundi à 8 h 45 », from next_change()."""
    if not change:
        return ""
    what, when = change
    days = (when.date() - timezone.localtime(now or timezone.now(), when.tzinfo).date()).days
    at = clock(when)
    if what == "CLOSES":
        return (
            _("ferme à %(time)s") % {"time": at}
            if days == 0
            else _("ferme %(day)s à %(time)s") % {"day": date_format(when, "l"), "time": at}
        )
    if days == 0:
        return _("ouvre à %(time)s") % {"time": at}
    if days == 1:
        return _("ouvre demain à %(time)s") % {"time": at}
    if days < 7:
        return _("ouvre %(day)s à %(time)s") % {"day": date_format(when, "l"), "time": at}
    return _("ouvre le %(date)s à %(time)s") % {"date": long_date(when.date()), "time": at}


@register.filter
def is_old(day) -> bool:
    """An answer (new patients, fees) older than STALE_AFTER_DAYS: shown with a warning, not as today's truth."""
    return bool(day) and (timezone.localdate() - day).days > settings.STALE_AFTER_DAYS
