"""Dates as French writes them on a public page: « 1er septembre 2026 », « 2 septembre 2026 »."""

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def long_date(day) -> str:
    if not day:
        return ""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {date_format(day, 'F Y')}"
