"""Where each value of a record comes from: a national registry (and its extraction date) or a person.

A record keeps `provenance = {field: {"by": SOURCE, "on": "YYYY-MM-DD"}}`. Imports never overwrite a value a
person set by hand: when the registry says something else, it becomes a suggestion for an editor instead.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.roles import is_city_editor

FINESS, RPPS, OSM, ACCESLIBRE, CITY, HUB = "FINESS", "RPPS", "OSM", "ACCESLIBRE", "CITY", "HUB"
BY_HAND = {CITY, HUB}
LABELS = {
    FINESS: _("FINESS (ministère de la Santé)"),
    RPPS: _("RPPS (Annuaire Santé)"),
    OSM: _("OpenStreetMap"),
    ACCESLIBRE: _("acceslibre (données ouvertes de l'accessibilité des établissements)"),
    CITY: _("la Ville"),
    HUB: _("le lieu lui-même"),
}


def set_by(record, field: str, source: str, on: datetime.date) -> None:
    record.provenance = {**(record.provenance or {}), field: {"by": source, "on": on.isoformat()}}


def set_by_hand(record, field: str) -> bool:
    """Was this field's current value set by a person (then an import leaves it alone)?"""
    return (record.provenance or {}).get(field, {}).get("by") in BY_HAND


def record_hand_edit(record, user, fields) -> list[str]:
    """A person saves `record`: the fields whose value they changed are now theirs (the city's or the hub's)."""
    stored = type(record).objects.filter(pk=record.pk).values(*fields).first() if record.pk else None
    stored = stored or {}
    empty = (None, "")
    changed = [
        f
        for f in fields
        if stored.get(f) != getattr(record, f)
        and not (stored.get(f) in empty and getattr(record, f) in empty)
    ]
    source, today = (CITY if is_city_editor(user) else HUB), timezone.localdate()
    for field in changed:
        set_by(record, field, source, today)
    return changed


def summary(record, field_labels: dict) -> list[dict]:
    """For a public page: each source with its date and the facts it gave, newest first."""
    groups: dict[tuple, list] = {}
    for field, label in field_labels.items():  # in the page's order of facts
        origin = (record.provenance or {}).get(field, {})
        if origin.get("by") in LABELS:
            groups.setdefault((origin["by"], origin.get("on", "")), []).append(str(label))
    return [
        {
            "source": LABELS[by],
            "registry": by not in BY_HAND,
            "on": datetime.date.fromisoformat(on) if on else None,
            "facts": facts,
        }
        for (by, on), facts in sorted(groups.items(), key=lambda item: item[0][1], reverse=True)
    ]
