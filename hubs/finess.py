"""FINESS into hubs: maisons de santé, centres de santé and pharmacies, by FINESS number.

The file is read by hubs/finess_files.py (the data.gouv.fr JSON, or the older etalab CSV) into plain records;
this module checks the options, writes the records in batches and closes what a complete extraction no longer
lists. Nothing here trusts the file blindly: a file without a single establishment is refused, a run that would
close more than a small share of what it manages stops (`--allow-closures N` when that is expected), and what a
person decided (a hub closed or reopened by hand, a value typed in) is only ever suggested over.
"""

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, GDALException, SpatialReference
from django.contrib.gis.geos import Point

from config import geo, provenance
from config.imports import ImportProblem
from config.text import unique_slug
from hubs import registry
from hubs.counts import counts_deferred
from hubs.finess_files import OVERSEAS, STRUCTURE_FIELDS, open_extraction
from hubs.models import Hub
from hubs.services import save_hub

__all__ = ["KINDS", "STRUCTURE_FIELDS", "import_finess"]

# FINESS categories -> our kinds. Other categories only with --category, as "Autre".
KINDS = {"603": Hub.Kind.MSP, "124": Hub.Kind.CENTRE_DE_SANTE, "620": Hub.Kind.PHARMACY}
# Systems the etalab CSV names at the end of sourcecoordet -> EPSG codes; the JSON names none (by department).
SYSTEMS = {
    "LAMBERT_93": 2154,
    "UTM_N20": 5490,  # Guadeloupe, Martinique (RGAF09)
    "UTM_N21": 4467,  # Saint-Pierre-et-Miquelon (RGSPM06)
    "UTM_N22": 2972,  # Guyane (RGFG95)
    "UTM_S38": 4471,  # Mayotte (RGM04)
    "UTM_S40": 2975,  # La Réunion (RGR92)
}
SYSTEM_OF_DEPARTEMENT = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "975": 4467, "976": 4471}
# Where a system's positions can be (west, south, east, north): a converted position outside is a sign of
# swapped X and Y, which the JSON example from ansforge/finess has.
BOUNDS = {
    2154: (-5.3, 41.3, 9.7, 51.2), 5490: (-61.9, 14.3, -60.8, 16.6), 2972: (-54.7, 2.1, -51.5, 5.9),
    2975: (55.2, -21.4, 55.9, -20.8), 4467: (-56.5, 46.7, -56.1, 47.2), 4471: (44.9, -13.1, 45.4, -12.6),
}  # fmt: skip
BATCH = 500
DATASET_URL = "https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/"
CATEGORY = re.compile(r"[0-9]{3}")
DEPARTEMENT = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])")
VALID_FORMS = (
    "départements: 01 to 95, 2A, 2B, 971 to 976 (or FINESS's 9A to 9F); communes: INSEE codes such as 35238, "
    "2A004 or 97411; categories: FINESS codes of three digits such as 603, 124, 620"
)


@dataclass(frozen=True)
class Scope:
    departements: frozenset[str]
    communes: frozenset[str]
    categories: frozenset[str]

    @classmethod
    def from_options(cls, *, departements=(), communes=(), categories=()) -> "Scope":
        """Repeated options and comma lists both work; anything not of a valid form is refused with the forms."""
        known = registry.commune_table()
        wanted_departements = {OVERSEAS.get(d.upper(), d.upper()) for d in _split(departements)}
        wanted_communes = {c.upper() for c in _split(communes)}
        wanted_categories = set(_split(categories))
        wrong = [d for d in wanted_departements if not DEPARTEMENT.fullmatch(d)]
        wrong += [c for c in wanted_communes if c not in known]
        wrong += [c for c in wanted_categories if not CATEGORY.fullmatch(c)]
        if wrong:
            raise ImportProblem(f"not understood: {', '.join(sorted(wrong))} (valid forms: {VALID_FORMS})")
        return cls(
            frozenset(wanted_departements), frozenset(wanted_communes), frozenset(wanted_categories or KINDS)
        )

    def may_cover(self, category: str, departement: str) -> bool:
        """What can be told before reading the record in full (the commune needs the full address)."""
        return category in self.categories and (not self.departements or departement in self.departements)

    def covers(self, record: dict) -> bool:
        return (
            record["category"] in self.categories
            and (not self.departements or record["departement"] in self.departements)
            and (not self.communes or record["commune"] in self.communes)
        )

    def managed(self):
        """The hubs this registry created in this scope and still lists: what a complete extraction may close."""
        kinds = {KINDS.get(code, Hub.Kind.OTHER) for code in self.categories}
        hubs = Hub.objects.filter(published=True, kind__in=kinds, provenance__finess__by=provenance.FINESS)
        if self.departements:  # stored as FINESS wrote them before 2026 (9D), as INSEE does since (974)
            letters = {letter for letter, code in OVERSEAS.items() if code in self.departements}
            hubs = hubs.filter(provenance__finess__departement__in=sorted(self.departements | letters))
        return hubs


def _split(values) -> list[str]:
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def import_finess(
    *,
    path: Path,
    departements=(),
    communes=(),
    categories=(),
    stock: bool | None = None,
    allow_closures: int = 0,
    dry_run=False,
    progress=False,
) -> Counter:
    scope = Scope.from_options(departements=departements, communes=communes, categories=categories)
    extraction = open_extraction(path, stock=stock)
    on = extraction.date
    counts, seen, lists = Counter(), set(), {"closed_names": [], "unlocated_names": []}
    managed = scope.managed().count()
    with registry.all_or_nothing(dry_run), counts_deferred():
        records = counted(extraction.establishments(progress=progress, wanted=scope.may_cover), counts)
        in_scope = (r for r in records if r.get("wanted", True) and scope.covers(r))
        transforms: dict = {}
        while batch := list(islice(in_scope, BATCH)):
            write_batch(batch, on=on, counts=counts, lists=lists, transforms=transforms)
            seen.update(r["finess"] for r in batch if not r["closed"])
        if not counts["read"]:
            raise ImportProblem(f"{path}: not one establishment in the file: is it a FINESS extraction?")
        placed = set()
        positions = extraction.positions(seen, progress=progress)
        while batch := list(islice(positions, BATCH)):
            placed |= place_batch(batch, on=on, counts=counts, transforms=transforms)
        if extraction.format == "csv":
            missing = seen - placed
            counts["unlocated"] += len(missing)
            lists["unlocated_names"] += sorted(missing)[: registry.MAX_CLOSURES_LISTED]
        if extraction.complete and not scope.communes:  # a commune's extract says nothing of the rest
            close_missing(seen, scope=scope, on=on, counts=counts, lists=lists)
        registry.check_closures(
            counts["closed"], managed, allowed=allow_closures, what="hubs", names=lists["closed_names"]
        )
    for key, value in {
        "extracted_on": on,
        "complete": extraction.complete,
        "format": extraction.format,
        **lists,
    }.items():
        counts[key] = value
    return counts


def counted(records, counts: Counter):
    for record in records:
        counts["read"] += 1
        yield record


def write_batch(batch, *, on, counts, lists, transforms) -> None:
    hubs = Hub.objects.in_bulk([r["finess"] for r in batch], field_name="finess")
    for record in batch:
        hub = hubs.get(record["finess"])
        if record["closed"]:
            if hub is not None and hub.status != Hub.Status.CLOSED:
                close(hub, on=on, counts=counts, lists=lists)
            continue
        values = values_of(record)
        if "position" in record:
            point = to_wgs84(record["position"], record["departement"], record["finess"], transforms)
            if point is None:
                counts["unlocated"] += 1
                lists["unlocated_names"].append(f"{record['finess']} {values['name']}")
            else:
                values["location"] = point
        if hub is None:
            create(record, values, on=on, counts=counts)
            continue
        outcome = registry.apply(hub, values, source=provenance.FINESS, on=on, counts=counts)
        reopened = not hub.published and hub.status == Hub.Status.CLOSED
        if reopened and registry.decided_by_hand(hub, "status", "published"):
            # A person closed it (an objection, a move): the registry listing it again is only a suggestion.
            registry.suggest(
                hub, "status", hub.status, Hub.Status.OPEN, source=provenance.FINESS, on=on, counts=counts
            )
            reopened = False
        elif reopened:
            hub.published, hub.status = True, Hub.Status.OPEN
            provenance.set_by(hub, "status", provenance.FINESS, on)
        if outcome or reopened:
            save_hub(hub, expected_version=hub.version)
        changed = reopened or outcome == registry.Outcome.CHANGED
        counts["updated" if changed else "confirmed" if outcome else "unchanged"] += 1


def create(record: dict, values: dict, *, on, counts) -> None:
    hub = Hub(finess=record["finess"], source=f"FINESS, extraction du {on:%d/%m/%Y}", source_url=DATASET_URL)
    hub.published = settings.REGISTRY_HUBS_PUBLISHED  # else it waits in the editors' review list
    hub.slug = unique_slug(Hub.objects.all(), f"{values['name']} {values['city']}", fallback="lieu")
    hub.kind = KINDS.get(record["category"], Hub.Kind.OTHER)
    provenance.set_by(hub, "finess", provenance.FINESS, on)
    hub.provenance["finess"]["departement"] = record["departement"]  # the scope a later run closes in
    registry.apply(hub, values, source=provenance.FINESS, on=on, counts=counts)
    save_hub(hub, expected_version=None)
    counts["created"] += 1


def values_of(record: dict) -> dict:
    return {
        "name": record["name"],
        "kind": KINDS.get(record["category"], Hub.Kind.OTHER),
        **{key: record[key] for key in ("street", "postcode", "city", "phone", "siret", "opened_on")},
    }


def to_wgs84(position: dict, departement: str, finess: str, transforms: dict) -> Point | None:
    """A position in WGS84: as given, else converted from Lambert-93 or the department's UTM zone, with X and Y
    swapped back when only the swapped order lands in the department."""
    try:
        if position.get("lat") and position.get("lng"):
            return geo.point(lat=round(float(position["lat"]), 6), lng=round(float(position["lng"]), 6))
        if not (position.get("x") and position.get("y")):
            return None
        srid = SYSTEMS.get(position.get("system") or "") or SYSTEM_OF_DEPARTEMENT.get(departement, 2154)
        if position.get("system") and position["system"] not in SYSTEMS:
            return None  # a system we cannot convert: better no position than a wrong one
        x, y = float(position["x"]), float(position["y"])
        bounds = BOUNDS[srid]
        for east, north in ((x, y), (y, x)):
            point = _converted(east, north, srid, transforms)
            if bounds[0] <= point.x <= bounds[2] and bounds[1] <= point.y <= bounds[3]:
                return point
        return None
    except (ValueError, GDALException) as exc:
        raise ImportProblem(
            f"FINESS {finess}: coordinates {position.get('x')!r}, {position.get('y')!r}: {exc}"
        ) from exc


def _converted(east: float, north: float, srid: int, transforms: dict) -> Point:
    if srid not in transforms:
        transforms[srid] = CoordTransform(SpatialReference(srid), SpatialReference(4326))
    point = Point(east, north, srid=srid)
    point.transform(transforms[srid])
    return Point(round(point.x, 6), round(point.y, 6), srid=4326)


def place_batch(batch, *, on, counts, transforms) -> set:
    """The CSV's positions, once the establishments are written. Returns the FINESS numbers placed."""
    hubs = Hub.objects.in_bulk([row["finess"] for _n, row in batch], field_name="finess")
    placed = set()
    for _number, row in batch:
        hub = hubs.get(row["finess"])
        point = to_wgs84(row, "", row["finess"], transforms)
        if point is None:
            continue
        placed.add(row["finess"])
        outcome = registry.apply(hub, {"location": point}, source=provenance.FINESS, on=on, counts=counts)
        if outcome:
            save_hub(hub, expected_version=hub.version)
        if outcome == registry.Outcome.CHANGED:
            counts["located"] += 1
    return placed


def close(hub: Hub, *, on, counts, lists) -> None:
    if registry.decided_by_hand(hub, "status", "published"):  # a person reopened it: theirs to close
        registry.suggest(
            hub, "status", hub.status, Hub.Status.CLOSED, source=provenance.FINESS, on=on, counts=counts
        )
        return
    hub.published, hub.status = False, Hub.Status.CLOSED
    provenance.set_by(hub, "status", provenance.FINESS, on)
    save_hub(hub, expected_version=hub.version)
    counts["closed"] += 1
    if len(lists["closed_names"]) < registry.MAX_CLOSURES_LISTED:
        lists["closed_names"].append(f"{hub.finess} {hub.name}")


def close_missing(seen, *, scope: Scope, on, counts, lists) -> None:
    """Hubs this registry created earlier, of the scope read, and gone from a complete extraction: closed."""
    managed = scope.managed()
    for hub in managed.exclude(finess__in=seen) if len(seen) < 30_000 else _missing(managed, seen):
        close(hub, on=on, counts=counts, lists=lists)


def _missing(imported, seen):
    # A national run: a NOT IN of 100,000 numbers is no query to send; compare in pages instead.
    for hub in imported.only("pk", "finess").iterator(chunk_size=2000):
        if hub.finess not in seen:
            yield Hub.objects.get(pk=hub.pk)
