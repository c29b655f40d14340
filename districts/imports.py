"""Imports that write territories and figures: one transaction each, all or nothing."""

import csv
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction

from config import geo
from config.geo import as_multipolygon, validate_wgs84
from config.imports import ImportProblem, Progress, open_csv, quiet, require_columns
from config.text import unique_slug
from districts.grid import PopulationCell, TerritoryAccess
from districts.models import PLACES, Territory, level_rank
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


GRID_CELL = re.compile(r"CRS3035RES200mN(\d+)E(\d+)")
GRID_COLUMNS = {  # INSEE renamed them between editions (Filosofi 2015, 2017, 2019…)
    "code": ["idcar_200m", "Idcar_200m", "IdINSPIRE"],
    "population": ["ind", "Ind"],
    "imputed": ["i_est_200", "I_est_200", "I_est_cr"],
}
GRID_BATCH = 5000


def grid_rows(path: Path):
    """The rows of a grid file as dicts: CSV (';' or ',') read line by line, or a GeoPackage layer through GDAL."""
    if path.suffix.lower() == ".gpkg":
        from django.contrib.gis.gdal import DataSource

        try:
            layer = DataSource(str(path))[0]
        except (GDALException, IndexError) as exc:
            raise ImportProblem(f"{path}: not a readable GeoPackage ({exc})") from exc
        for number, feature in enumerate(layer, start=1):
            yield f"feature {number}", {name: feature.get(name) for name in layer.fields}
        return
    with open_csv(path) as handle:
        dialect = ";" if ";" in handle.readline() else ","
        handle.seek(0)
        for line, row in enumerate(csv.DictReader(handle, delimiter=dialect), start=2):
            yield f"line {line}", row


def column(row: dict, role: str, *, path: Path, required: bool = True):
    for name in GRID_COLUMNS[role]:
        if name in row:
            return row[name]
    if required:
        raise ImportProblem(f"{path}: no {' / '.join(GRID_COLUMNS[role])} column (INSEE's 200 m grid)")
    return None


def read_cell(row: dict, *, where: str, path: Path, year: int, to_wgs84) -> PopulationCell:
    code = str(column(row, "code", path=path) or "").strip()
    found = GRID_CELL.fullmatch(code)
    if not found:
        raise ImportProblem(
            f"{path} {where}: {code!r} is not a 200 m cell id like CRS3035RES200mN2766400E3296000"
        )
    try:
        population = float(str(column(row, "population", path=path)).replace(",", "."))
    except ValueError:
        population = -1
    if not (math.isfinite(population) and population >= 0):
        raise ImportProblem(
            f"{path} {where}: ind {column(row, 'population', path=path)!r} is not a number ≥ 0"
        )
    north, east = int(found.group(1)), int(found.group(2))
    centre = Point(east + 100, north + 100, srid=3035)
    centre.transform(to_wgs84)
    imputed = str(column(row, "imputed", path=path, required=False) or "0").strip() in (
        "1",
        "1.0",
        "True",
        "true",
    )
    return PopulationCell(
        code=code, east=east, north=north, location=geo.point(lat=centre.y, lng=centre.x),
        population=population, imputed=imputed, year=year,
    )  # fmt: skip


@transaction.atomic
def import_population_grid(
    *, path: Path, year: int, source: str, covering: list[str] | None = None, progress: Progress = quiet
) -> dict:
    """Write the file's populated cells (a second run updates them), give each its smallest territory, and record
    which territories the grid covers entirely: those named, or else those inside the cells' envelope (true of
    a whole INSEE file). All or nothing."""
    to_wgs84 = CoordTransform(SpatialReference(3035), SpatialReference(geo.WGS84))
    written, batch, west, south, east, north = 0, [], math.inf, math.inf, -math.inf, -math.inf
    for where, row in grid_rows(path):
        cell = read_cell(row, where=where, path=path, year=year, to_wgs84=to_wgs84)
        west, south = min(west, cell.location.x), min(south, cell.location.y)
        east, north = max(east, cell.location.x), max(north, cell.location.y)
        batch.append(cell)
        if len(batch) == GRID_BATCH:
            written += save_cells(batch)
            batch = []
            progress(f"{written:,} cells written")
    written += save_cells(batch)
    if not written:
        raise ImportProblem(f"{path}: no cell in the file")
    envelope = Polygon.from_bbox((west, south, east, north))
    envelope.srid = geo.WGS84
    places = Territory.objects.filter(level__in=PLACES, boundary__intersects=envelope)
    for territory in places.order_by(level_rank().desc(), "pk"):  # cities first, their quartiers after
        PopulationCell.objects.filter(year=year, location__within=territory.boundary).update(
            territory=territory
        )
    if covering:
        covered = Territory.objects.filter(slug__in=covering)
        unknown = set(covering) - set(covered.values_list("slug", flat=True))
        if unknown:
            raise ImportProblem(f"--covering: no territory {', '.join(sorted(unknown))}")
    else:
        covered = Territory.objects.filter(boundary__within=envelope.buffer(0.002))
    for territory in covered:
        TerritoryAccess.objects.update_or_create(
            territory=territory, defaults={"grid_year": year, "grid_source": source[:300]}
        )
    progress("\n")
    return {"cells": written, "covered": covered.count()}


def save_cells(cells: list[PopulationCell]) -> int:
    PopulationCell.objects.bulk_create(
        cells,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["east", "north", "location", "population", "imputed", "year"],
    )
    return len(cells)
