"""Dates as each language writes them on a public page: « 1er septembre 2026 » in French, "1 September 2026"."""

from django import template
from django.utils import translation
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def long_date(day) -> str:
    if not day:
        return ""
    if translation.get_language() != "fr":
        return date_format(day, "j F Y")
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {date_format(day, 'F Y')}"
