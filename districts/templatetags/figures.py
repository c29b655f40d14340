from django import template
from django.utils import translation
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.363 -> « 36 % » in French, "36%" in English; nothing when unknown."""
    if share is None or share == "":
        return ""
    value = number_format(round(float(share) * 100), 0)
    return f"{value}\u202f%" if translation.get_language() == "fr" else f"{value}%"
