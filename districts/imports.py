"""Imports that write territories and figures: one transaction each, all or nothing."""

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path

from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction

from config.geo import as_multipolygon, validate_wgs84
from config.imports import ImportProblem, Progress, open_csv, quiet, require_columns
from config.text import unique_slug
from districts.models import PLACES, Territory
from districts.signals import territories_changed


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
    progress: Progress = quiet,
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
            territory.slug = unique_slug(
                Territory.objects.all(),
                name,
                fallback="territoire",
                qualifiers=(*qualifiers, code or str(number)),
            )
            created += 1
        else:
            updated += 1
        territory.name, territory.parent, territory.boundary = name, parent, boundary
        territory.save()
        progress(f"{number}/{len(features)} features read, {created} created, {updated} updated")
    progress("\n")
    if wanted and created + updated == 0:
        raise ImportProblem(f"{path}: no feature has the code(s) {', '.join(sorted(wanted))}")
    territories_changed.send(sender=Territory)
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
    try:
        validate_wgs84(shape)
    except ValidationError as exc:
        raise ImportProblem(f"{label}: {' '.join(exc.messages)}") from exc
    if not shape.valid:
        shape = shape.buffer(0)  # repairs self-intersections that some open data sets contain
    return as_multipolygon(shape)


@transaction.atomic
def import_populations(*, path: Path, year: int, source: str, progress: Progress = quiet) -> int:
    """Set the population (and the main postcode, when the file has one) of every commune-level territory
    whose INSEE code is in the file."""
    by_code = {t.code: t for t in Territory.objects.filter(level__in=PLACES).exclude(code="")}
    updated = 0
    with open_csv(path) as handle:
        reader = csv.DictReader(handle, delimiter=";")
        require_columns(path, reader.fieldnames, ["code_insee", "population"])
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
            postcode = (row.get("code_postal") or "").strip()
            territory.postcode = postcode if re.fullmatch(r"\d{5}", postcode) else territory.postcode
            territory.save(update_fields=["population", "population_year", "population_source", "postcode"])
            updated += 1
            progress(f"line {line}: {updated} territories updated")
    progress("\n")
    return updated
