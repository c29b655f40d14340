"""Hubs that may be the same place twice: the same SIRET, or similar names within 100 m of each other.

On PostgreSQL the names compare by pg_trgm similarity in one self-join that the spatial index narrows; on
SpatiaLite (a city's scale) the same rule runs in Python over each hub's neighbours.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection

from config.text import normalise
from hubs.models import Hub

MAX_METRES = 100
MIN_SIMILARITY = 0.4
MAX_PAIRS = 100
DEGREES_AROUND = 0.0015  # a box of at least 100 m around a point at French latitudes, for the index


@dataclass
class Pair:
    first: Hub
    second: Hub
    reason: str


PAIRS_SQL = f"""
SELECT a.id, b.id, 'siret' FROM hubs_hub a JOIN hubs_hub b ON a.siret = b.siret AND a.id < b.id
WHERE a.siret <> ''
UNION
SELECT a.id, b.id, 'near'
FROM hubs_hub a JOIN hubs_hub b ON a.id < b.id AND ST_DWithin(a.location, b.location, {DEGREES_AROUND})
WHERE ST_DistanceSphere(a.location, b.location) <= {MAX_METRES} AND similarity(a.name, b.name) >= {MIN_SIMILARITY}
LIMIT {MAX_PAIRS}
"""


def candidate_pairs() -> list[Pair]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PAIRS_SQL)
            ids = cursor.fetchall()
    else:
        ids = _pairs_in_python()
    reasons: dict[tuple, str] = {}
    for a, b, reason in ids:  # a pair both near and with the same SIRET is listed once, for its SIRET
        reasons[(a, b)] = "siret" if reason == "siret" else reasons.get((a, b), reason)
    wanted = {pk for pair in reasons for pk in pair}
    hubs = Hub.objects.select_related("territory").defer("territory__boundary").in_bulk(wanted)
    return [Pair(hubs[a], hubs[b], reason) for (a, b), reason in reasons.items() if a in hubs and b in hubs]


def _pairs_in_python() -> list[tuple[int, int, str]]:
    found = []
    by_siret: dict[str, int] = {}
    for hub in Hub.objects.only("pk", "siret").exclude(siret="").order_by("pk"):
        if hub.siret in by_siret:
            found.append((by_siret[hub.siret], hub.pk, "siret"))
        by_siret.setdefault(hub.siret, hub.pk)
    for hub in Hub.objects.filter(location__isnull=False).only("pk", "name", "location").order_by("pk"):
        around = Hub.objects.filter(pk__gt=hub.pk).near(hub.location, km=MAX_METRES / 1000).only("pk", "name")
        for other in around:
            if SequenceMatcher(None, normalise(hub.name), normalise(other.name)).ratio() >= MIN_SIMILARITY:
                found.append((hub.pk, other.pk, "near"))
    return found[:MAX_PAIRS]
