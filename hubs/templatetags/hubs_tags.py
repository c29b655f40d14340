import json

from django import template
from django.utils.formats import number_format
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def distance(value):
    """A GEOS Distance, or metres, as a resident reads it: '450 m', '2,3 km'."""
    if value is None or value == "":
        return ""
    metres = value.m if hasattr(value, "m") else float(value)
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    return f"{number_format(metres / 1000, 1)} km"


@register.filter
def directions_url(hub) -> str:
    """OpenStreetMap directions to the hub (lat,lng with a dot, whatever the page's language)."""
    if hub.location is None:
        return ""
    return f"https://www.openstreetmap.org/directions?to={hub.location.y:.5f}%2C{hub.location.x:.5f}"


@register.filter
def ld_json(data):
    """JSON-LD for a <script type="application/ld+json">, escaped like json_script."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes them)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter(is_safe=True)
def deferred(html):
    """External scripts of a block marked `defer`: they run in order once the page is parsed."""
    return mark_safe(str(html).replace("<script src=", "<script defer src="))
