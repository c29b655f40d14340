"""Imports that write territories and figures: one transaction each, all or nothing."""

import csv
import json
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import transaction
from django.utils.text import slugify

from config.geo import as_multipolygon
from districts.models import DensityFigure, Territory
from professionals.models import Profession

Progress = Callable[[str], None]

AMELI_SOURCE = "Assurance Maladie, effectifs et densités de professionnels de santé"
AMELI_URL = "https://data.ameli.fr/pages/data-professionnels-sante-liberaux/"
# Assurance Maladie labels -> our profession codes; other professions are not in the directory.
AMELI_PROFESSIONS = {
    "Ensemble des médecins généralistes": "general-practitioner",
    "Infirmiers": "nurse",
    "Masseurs-kinésithérapeutes": "physiotherapist",
    "Sages-femmes": "midwife",
    "Orthophonistes": "speech-therapist",
    "Orthoptistes": "orthoptist",
    "Ensemble des chirurgiens-dentistes": "dentist",
    "Pédiatres": "paediatrician",
    "Psychiatres": "psychiatrist",
    "Pédicures-podologues": "podiatrist",
}


class ImportProblem(Exception):
    """Bad input, described so a person can find and fix it (row or feature, field)."""


def _quiet(_message: str) -> None:
    pass


def unique_slug(name: str, *qualifiers: str, exclude_pk=None) -> str:
    """slugify(name), qualified by the parent or code when another territory has it already."""
    others = Territory.objects.exclude(pk=exclude_pk)
    candidate = slugify(name)[:190] or "territoire"
    for qualifier in qualifiers:
        if not others.filter(slug=candidate).exists():
            return candidate
        candidate = slugify(f"{name} {qualifier}")[:190]
    suffix = 2
    base = candidate
    while others.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def read_feature_collection(path: Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"{path}: not GeoJSON (invalid JSON at line {exc.lineno})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportProblem(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportProblem(f"{path}: the FeatureCollection has no 'features' list")
    return features


@transaction.atomic
def import_territories(
    *,
    path: Path,
    level: str,
    parent: Territory | None,
    name_field: str,
    code_field: str | None = None,
    code_prefix: str = "",
    only_codes: Iterable[str] = (),
    progress: Progress = _quiet,
) -> tuple[int, int]:
    """Create or update one territory per polygon feature. Returns (created, updated)."""
    if level not in Territory.Level.values:
        raise ImportProblem(f"unknown level {level!r} (choose from {', '.join(Territory.Level.values)})")
    wanted = set(only_codes)
    features = read_feature_collection(path)
    created = updated = 0
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        label = f"feature {number}"
        name = str(properties.get(name_field) or "").strip()
        if not name:
            raise ImportProblem(f"{label}: property {name_field!r} is missing or empty")
        label = f"feature {number} ({name})"
        code = ""
        if code_field:
            if properties.get(code_field) in (None, ""):
                raise ImportProblem(f"{label}: property {code_field!r} is missing or empty")
            code = f"{code_prefix}{properties[code_field]}"
        if wanted and code not in wanted:
            continue
        boundary = _boundary(feature.get("geometry"), label)

        lookup = {"level": level, "code": code} if code else {"level": level, "parent": parent, "name": name}
        territory = Territory.objects.filter(**lookup).first()
        if territory is None:
            territory = Territory(level=level, code=code)
            qualifiers = [parent.name] if parent else []
            territory.slug = unique_slug(name, *qualifiers, code or str(number))
            created += 1
        else:
            updated += 1
        territory.name, territory.parent, territory.boundary = name, parent, boundary
        territory.save()
        progress(f"{number}/{len(features)} features read, {created} created, {updated} updated")
    progress("\n")
    if wanted and created + updated == 0:
        raise ImportProblem(f"{path}: no feature has the code(s) {', '.join(sorted(wanted))}")
    reassign_hub_territories()
    return created, updated


def _boundary(geometry: dict | None, label: str):
    if not geometry:
        raise ImportProblem(f"{label}: geometry is missing")
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ImportProblem(f"{label}: geometry is a {geometry.get('type')}, not a Polygon or MultiPolygon")
    try:
        shape = GEOSGeometry(json.dumps(geometry), srid=4326)
    except (GEOSException, GDALException, ValueError) as exc:
        raise ImportProblem(f"{label}: geometry cannot be read ({exc})") from exc
    if not shape.valid:
        shape = shape.buffer(0)  # repairs self-intersections that some open data sets contain
    return as_multipolygon(shape)


def reassign_hub_territories() -> int:
    """Boundaries changed: hubs placed automatically follow them; hand-set ones stay."""
    from hubs.models import Hub

    moved = 0
    for hub in Hub.objects.filter(territory_set_by_hand=False, location__isnull=False):
        district = hub.district_at_location()
        if district != hub.territory:
            hub.save()
            moved += 1
    return moved


@transaction.atomic
def import_populations(*, path: Path, year: int, source: str, progress: Progress = _quiet) -> int:
    """Set the population of every commune-level territory whose INSEE code is in the file."""
    by_code = {
        t.code: t
        for t in Territory.objects.filter(level__in=[Territory.Level.CITY, Territory.Level.DISTRICT]).exclude(
            code=""
        )
    }
    updated = 0
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle, delimiter=";")
        _require_columns(path, reader.fieldnames, ["code_insee", "population"])
        for line, row in enumerate(reader, start=2):
            territory = by_code.get(row["code_insee"].strip())
            if territory is None:
                continue
            try:
                population = int(row["population"])
                if population < 0:
                    raise ValueError
            except (TypeError, ValueError) as exc:
                raise ImportProblem(
                    f"line {line}: population {row['population']!r} is not a whole number ≥ 0"
                ) from exc
            territory.population, territory.population_year, territory.population_source = (
                population,
                year,
                source,
            )
            territory.save(update_fields=["population", "population_year", "population_source"])
            updated += 1
            progress(f"line {line}: {updated} territories updated")
    progress("\n")
    return updated


@transaction.atomic
def import_ameli_densities(*, path: Path, progress: Progress = _quiet) -> tuple[int, int]:
    """Store Assurance Maladie densities (per 100,000) per 10,000 for the territories we have.

    Rows: a department (code), a whole region (departement 999) or France (region 99).
    """
    territories = {(t.level, t.code): t for t in Territory.objects.exclude(code="")}
    professions = {p.code: p for p in Profession.objects.filter(code__in=AMELI_PROFESSIONS.values())}
    created = updated = 0
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle)
        _require_columns(
            path,
            reader.fieldnames,
            ["annee", "profession_sante", "region", "departement", "classe_age", "libelle_sexe", "densite"],
        )
        for line, row in enumerate(reader, start=2):
            profession = professions.get(AMELI_PROFESSIONS.get(row["profession_sante"], ""))
            if profession is None or row["classe_age"] != "tout_age" or row["libelle_sexe"] != "tout sexe":
                continue
            if row["region"] == "99":
                key = (Territory.Level.COUNTRY, "FR")
            elif row["departement"] == "999":
                key = (Territory.Level.REGION, row["region"])
            else:
                key = (Territory.Level.DEPARTMENT, row["departement"])
            territory = territories.get(key)
            if territory is None:
                continue
            try:
                per_100k = Decimal(row["densite"])
                year = int(row["annee"])
                if per_100k < 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError) as exc:
                raise ImportProblem(
                    f"line {line}: densite {row['densite']!r} / annee {row['annee']!r} is not a valid figure"
                ) from exc
            _, was_created = DensityFigure.objects.update_or_create(
                territory=territory,
                profession=profession,
                year=year,
                source=AMELI_SOURCE,
                defaults={"per_10k": per_100k / 10, "source_url": AMELI_URL},
            )
            created += was_created
            updated += not was_created
            progress(f"line {line}: {created} figures created, {updated} updated")
    progress("\n")
    return created, updated


def _open_csv(path: Path):
    try:
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (the caller closes it)
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc})") from exc


def _require_columns(path, fieldnames, required):
    missing = [c for c in required if c not in (fieldnames or [])]
    if missing:
        raise ImportProblem(f"{path}: column(s) {', '.join(missing)} missing from the header")
