"""FINESS: the "extraction du fichier des établissements" as etalab publishes it, read into hubs.

The file: a first line `finess;etalab;<n>;<date>`, then `structureet;` lines (32 fields, one establishment)
and, after them, `geolocalisation;` lines (nofinesset, coordxet, coordyet, sourcecoordet, datemaj) whose
coordinates are in the system `sourcecoordet` names last (Lambert-93 in mainland France, UTM overseas).

Two passes over the file keep memory flat whatever its size: establishments first, written in batches, then
their positions, converted with GDAL. An establishment imported before and absent from a new extraction of
the same scope has closed: its hub is unpublished, never deleted.
"""

import csv
import datetime
import re
from collections import Counter
from itertools import islice
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, GDALException, SpatialReference
from django.contrib.gis.geos import Point

from config import provenance
from config.imports import ImportProblem
from config.text import unique_slug
from hubs import registry
from hubs.counts import counts_deferred
from hubs.models import Hub
from hubs.services import save_hub

STRUCTURE_FIELDS = [
    "nofinesset",
    "nofinessej",
    "rs",
    "rslongue",
    "complrs",
    "compldistrib",
    "numvoie",
    "typvoie",
    "voie",
    "compvoie",
    "lieuditbp",
    "commune",
    "departement",
    "libdepartement",
    "ligneacheminement",
    "telephone",
    "telecopie",
    "categetab",
    "libcategetab",
    "categagretab",
    "libcategagretab",
    "siret",
    "codeape",
    "codemft",
    "libmft",
    "codesph",
    "libsph",
    "dateouv",
    "dateautor",
    "datemaj",
    "numuai",
]
GEO_FIELDS = ("nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj")
# FINESS categories (categetab) -> our kinds. Other categories only with --category, as "Autre".
KINDS = {"603": Hub.Kind.MSP, "124": Hub.Kind.CENTRE_DE_SANTE, "620": Hub.Kind.PHARMACY}
# The system named at the end of sourcecoordet -> its EPSG code.
SYSTEMS = {
    "LAMBERT_93": 2154,
    "UTM_N20": 5490,  # Guadeloupe, Martinique (RGAF09)
    "UTM_N21": 4467,  # Saint-Pierre-et-Miquelon (RGSPM06)
    "UTM_N22": 2972,  # Guyane (RGFG95)
    "UTM_S38": 4471,  # Mayotte (RGM04)
    "UTM_S40": 2975,  # La Réunion (RGR92)
}
STREET_TYPES = {
    "R": "rue", "AV": "avenue", "BD": "boulevard", "PL": "place", "CHE": "chemin", "RTE": "route", "ALL": "allée",
    "IMP": "impasse", "QUA": "quai", "SQ": "square", "CRS": "cours", "PAS": "passage", "LOT": "lotissement",
    "RES": "résidence", "ZA": "zone d'activité", "ZI": "zone industrielle", "FG": "faubourg", "PROM": "promenade",
}  # fmt: skip
BATCH = 500
FINESS_URL = "https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/"


def header(path: Path) -> datetime.date:
    """The extraction date from the first line, or a clear refusal of a file that is not an extraction."""
    for _number, text in registry.lines(path, progress=False):
        parts = text.split(";")
        if len(parts) < 4 or parts[:2] != ["finess", "etalab"]:
            raise ImportProblem(f"{path}: line 1 is not « finess;etalab;<n>;<date> » (got {text[:60]!r})")
        try:
            return datetime.date.fromisoformat(parts[3][:10])
        except ValueError as exc:
            raise ImportProblem(f"{path}: line 1, {parts[3]!r} is not a date") from exc
    raise ImportProblem(f"{path}: the file is empty")


def rows(path: Path, kind: str, fields, *, progress: bool):
    for number, text in registry.lines(path, progress=progress):
        if not text.startswith(f"{kind};"):
            continue
        # Most lines have no quotes: a split. A quoted field may hold a ";": the csv module.
        values = (next(csv.reader([text], delimiter=";")) if '"' in text else text.split(";"))[1:]
        if len(values) == len(fields) + 1 and values[-1] == "":
            values.pop()  # a line ending with ";"
        if len(values) != len(fields):
            raise ImportProblem(
                f"{path}: line {number}, {kind} has {len(values) + 1} fields, not {len(fields) + 1}"
            )
        yield number, dict(zip(fields, values, strict=True))


def address(row) -> tuple[str, str, str]:
    street_type = STREET_TYPES.get(row["typvoie"].upper(), row["typvoie"].lower())
    street = " ".join(p for p in [row["numvoie"] + row["compvoie"], street_type, row["voie"]] if p)
    postcode, _, city = row["ligneacheminement"].partition(" ")
    return street[:200], postcode[:10], city[:120]


def phone(digits: str) -> str:
    digits = re.sub(r"\D", "", digits)
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2)) if len(digits) == 10 else digits


def values_of(row, kind) -> dict:
    street, postcode, city = address(row)
    opened = row["dateouv"][:10]
    return {
        "name": (row["rslongue"] or row["rs"]).strip()[:200],
        "kind": kind,
        "street": street,
        "postcode": postcode,
        "city": city,
        "phone": phone(row["telephone"]),
        "siret": row["siret"][:14],
        "opened_on": datetime.date.fromisoformat(opened) if opened else None,
    }


def to_wgs84(row, transforms: dict) -> Point | None:
    system = row["sourcecoordet"].rsplit(",", 1)[-1].strip().upper()
    if system not in SYSTEMS or not row["coordxet"]:
        return None
    if system not in transforms:
        transforms[system] = CoordTransform(SpatialReference(SYSTEMS[system]), SpatialReference(4326))
    point = Point(float(row["coordxet"]), float(row["coordyet"]), srid=SYSTEMS[system])
    point.transform(transforms[system])
    return Point(round(point.x, 6), round(point.y, 6), srid=4326)


def in_scope(row, *, departements, communes, categories) -> bool:
    return (
        row["categetab"] in categories
        and (not departements or row["departement"] in departements)
        and (not communes or row["departement"] + row["commune"] in communes or row["commune"] in communes)
    )


def import_finess(
    *, path: Path, departements=(), communes=(), categories=(), dry_run=False, progress=False
) -> Counter:
    on = header(path)
    categories = set(categories) or set(KINDS)
    counts, seen = Counter(), set()
    with registry.all_or_nothing(dry_run), counts_deferred():
        structures = (
            row
            for _n, row in rows(path, "structureet", STRUCTURE_FIELDS, progress=progress)
            if in_scope(row, departements=departements, communes=communes, categories=categories)
        )
        while batch := list(islice(structures, BATCH)):
            write_batch(batch, on=on, counts=counts)
            seen.update(row["nofinesset"] for row in batch)
        transforms: dict = {}
        positions = (
            row
            for _n, row in rows(path, "geolocalisation", GEO_FIELDS, progress=progress)
            if row["nofinesset"] in seen
        )
        while batch := list(islice(positions, BATCH)):
            place_batch(batch, on=on, counts=counts, transforms=transforms)
        if not communes:  # a commune's extract says nothing of the rest of its department
            close_missing(seen, departements=departements, categories=categories, on=on, counts=counts)
    counts["extracted_on"] = on
    return counts


def write_batch(batch, *, on, counts) -> None:
    hubs = Hub.objects.in_bulk([row["nofinesset"] for row in batch], field_name="finess")
    for row in batch:
        kind = KINDS.get(row["categetab"], Hub.Kind.OTHER)
        try:
            values = values_of(row, kind)
        except ValueError as exc:
            raise ImportProblem(f"FINESS {row['nofinesset']}: {exc}") from exc
        hub = hubs.get(row["nofinesset"])
        if hub is None:
            hub = Hub(
                finess=row["nofinesset"], source=f"FINESS, extraction du {on:%d/%m/%Y}", source_url=FINESS_URL
            )
            hub.slug = unique_slug(Hub.objects.all(), f"{values['name']} {values['city']}", fallback="lieu")
            provenance.set_by(hub, "finess", provenance.FINESS, on)
            hub.provenance["finess"]["departement"] = row["departement"]  # the scope a later run closes in
            registry.apply(hub, values, source=provenance.FINESS, on=on, counts=counts)
            save_hub(hub, expected_version=None)
            counts["created"] += 1
            continue
        changed = registry.apply(hub, values, source=provenance.FINESS, on=on, counts=counts)
        reopened = not hub.published and hub.status == Hub.Status.CLOSED
        if reopened and registry.decided_by_hand(hub, "status", "published"):
            # A person closed it (an objection, a move): the registry listing it again is only a suggestion.
            registry.suggest(
                hub, "status", hub.status, Hub.Status.OPEN, source=provenance.FINESS, on=on, counts=counts
            )
            reopened = False
        elif reopened:
            hub.published, hub.status = True, Hub.Status.OPEN
        if changed or reopened:
            save_hub(hub, expected_version=hub.version)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1


def place_batch(batch, *, on, counts, transforms) -> None:
    hubs = Hub.objects.in_bulk([row["nofinesset"] for row in batch], field_name="finess")
    for row in batch:
        hub = hubs.get(row["nofinesset"])
        try:
            point = to_wgs84(row, transforms)
        except (ValueError, GDALException) as exc:
            raise ImportProblem(
                f"FINESS {row['nofinesset']}: coordinates {row['coordxet']!r}, {row['coordyet']!r}: {exc}"
            ) from exc
        if point is None:
            counts["unlocated"] += 1
            continue
        if registry.apply(hub, {"location": point}, source=provenance.FINESS, on=on, counts=counts):
            save_hub(hub, expected_version=hub.version)
            counts["located"] += 1


def close_missing(seen, *, departements, categories, on, counts) -> None:
    """Hubs this registry created earlier, of the scope read, and gone from the extraction: closed."""
    kinds = {KINDS.get(code, Hub.Kind.OTHER) for code in categories}
    imported = Hub.objects.filter(published=True, kind__in=kinds, provenance__finess__by=provenance.FINESS)
    if departements:
        imported = imported.filter(provenance__finess__departement__in=list(departements))
    for hub in imported.exclude(finess__in=seen) if len(seen) < 30_000 else _missing(imported, seen):
        if registry.decided_by_hand(hub, "status", "published"):  # a person reopened it: theirs to close
            registry.suggest(
                hub, "status", hub.status, Hub.Status.CLOSED, source=provenance.FINESS, on=on, counts=counts
            )
            continue
        hub.published, hub.status = False, Hub.Status.CLOSED
        provenance.set_by(hub, "status", provenance.FINESS, on)
        save_hub(hub, expected_version=hub.version)
        counts["closed"] += 1


def _missing(imported, seen):
    # A national run: a NOT IN of 100,000 numbers is no query to send; compare in pages instead.
    for hub in imported.only("pk", "finess", "version", "provenance").iterator(chunk_size=2000):
        if hub.finess not in seen:
            yield Hub.objects.get(pk=hub.pk)
