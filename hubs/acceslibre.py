"""acceslibre's open-data export (CSV, schema MTES-MCT/acceslibre-schema): accessibility written on the hubs.

A row is a hub's when their SIRET numbers agree, else when the hub stands within 50 m under the same name.
Values go through `registry.apply`, so what a person set by hand stays and becomes a suggestion. One
transaction: a row with a value outside the schema's vocabulary and nothing is written.
"""

import csv
import datetime
import json
import re
from collections import Counter
from pathlib import Path

from django.db import transaction

from config import geo, provenance
from config.choices import Availability
from config.imports import ImportProblem, Progress, open_csv, quiet, require_columns
from config.text import normalise
from hubs import registry
from hubs.models import Hub
from hubs.models.accessibility import Entrance
from hubs.services import save_hub

REQUIRED = ["id", "name", "siret", "longitude", "latitude"]
SAME_PLACE_METRES = 50
PAGE = "https://acceslibre.beta.gouv.fr/uuid/{id}/"
RAMPS = {"aucune": False, "fixe": True, "amovible": True, "": None}
STAFF = {
    "formés": Availability.YES,
    "non-formés": Availability.NO,
    "aucun": Availability.NO,
    "": Availability.UNKNOWN,
}
HEARING = {"bim", "bmp", "lsf", "lpc", "sts", "autres"}


def yes_no(row: dict, column: str, *, where: str) -> bool | None:
    value = (row.get(column) or "").strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    if value == "":
        return None
    raise ImportProblem(f"{where}: {column} is {row[column]!r}; acceslibre writes True, False or nothing")


def one_of(row: dict, column: str, vocabulary: dict, *, where: str):
    value = (row.get(column) or "").strip()
    if value not in vocabulary:
        raise ImportProblem(
            f"{where}: {column} is {value!r}, not one of {', '.join(repr(v) for v in vocabulary if v)}"
        )
    return vocabulary[value]


def answer(value: bool | None) -> str:
    return {True: Availability.YES, False: Availability.NO, None: Availability.UNKNOWN}[value]


def entrance(row: dict, *, where: str) -> str:
    step_free = yes_no(row, "entree_plain_pied", where=where)
    ramp = one_of(row, "entree_marches_rampe", RAMPS, where=where)
    if step_free:
        return Entrance.STEP_FREE
    if yes_no(row, "entree_ascenseur", where=where):
        return Entrance.LIFT
    if ramp:
        return Entrance.RAMP
    return Entrance.STEPS if step_free is False else Entrance.UNKNOWN


def hearing_loop(row: dict, *, where: str) -> str:
    present = yes_no(row, "accueil_equipements_malentendants_presence", where=where)
    text = (row.get("accueil_equipements_malentendants") or "").strip()
    try:
        equipment = set(json.loads(text)) if text else set()
    except (ValueError, TypeError):
        raise ImportProblem(
            f"{where}: accueil_equipements_malentendants {text!r} is not a JSON list"
        ) from None
    if not equipment <= HEARING:
        raise ImportProblem(f"{where}: accueil_equipements_malentendants holds {sorted(equipment - HEARING)}")
    if "bim" in equipment:
        return Availability.YES
    return Availability.NO if present is False or equipment else Availability.UNKNOWN


def accessibility(row: dict, *, where: str) -> dict:
    parking = [yes_no(row, c, where=where) for c in ("stationnement_pmr", "stationnement_ext_pmr")]
    toilets = yes_no(row, "sanitaires_adaptes", where=where)
    if yes_no(row, "sanitaires_presence", where=where) is False:
        toilets = False
    return {
        "entrance": entrance(row, where=where),
        "accessible_parking": answer(
            True if True in parking else False if parking == [False, False] else None
        ),
        "accessible_toilets": answer(toilets),
        "hearing_loop": hearing_loop(row, where=where),
        "staff_trained": one_of(row, "accueil_personnels", STAFF, where=where),
        "acceslibre_url": PAGE.format(id=row["id"]),
    }


def same_name(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    return bool(a and b) and (a == b or a in b or b in a)


def find_hub(row: dict, *, by_siret: dict, where: str) -> Hub | None:
    siret = re.sub(r"\D", "", row.get("siret") or "")
    if siret and siret in by_siret:
        return by_siret[siret]
    if not (row.get("longitude") and row.get("latitude")):
        return None
    try:
        point = geo.point(lat=float(row["latitude"]), lng=float(row["longitude"]))
    except ValueError:
        raise ImportProblem(
            f"{where}: longitude {row['longitude']!r}, latitude {row['latitude']!r}"
        ) from None
    near = Hub.objects.near(point, km=SAME_PLACE_METRES / 1000).order_by("distance")
    return next((hub for hub in near if same_name(hub.name, row.get("name", ""))), None)


def import_acceslibre(*, path: Path, extracted_on: datetime.date, progress: Progress = quiet) -> Counter:
    counts = Counter()
    by_siret = {hub.siret: hub for hub in Hub.objects.exclude(siret="")}
    with open_csv(path) as handle, transaction.atomic():
        reader = csv.DictReader(handle)
        require_columns(path, reader.fieldnames, REQUIRED)
        for number, row in enumerate(reader, start=2):
            where = f"{path.name} line {number} ({row.get('name') or row.get('id')})"
            values = accessibility(row, where=where)  # every row checked, matched or not
            hub = find_hub(row, by_siret=by_siret, where=where)
            counts["rows"] += 1
            if hub is None:
                continue
            counts["matched"] += 1
            outcome = registry.apply(
                hub, values, source=provenance.ACCESLIBRE, on=extracted_on, counts=counts
            )
            if outcome is not registry.Outcome.NOTHING:
                hub._change_reason = "acceslibre"
                save_hub(hub, expected_version=hub.version)
                counts["updated"] += 1
            if number % 10_000 == 0:
                progress(f"{number:,} rows read, {counts['matched']} hubs found")
    progress("\n")
    return counts
