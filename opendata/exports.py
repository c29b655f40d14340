"""Whole-file open data: each dataset written once a day as gzipped CSV (and GeoJSON where it has a geometry), with
the API's own querysets and serializers, so a file holds exactly what the API's pages would, all of them.

Files are dated (lieux-de-sante-2026-11-30.csv.gz), written beside then renamed (a reader never gets half a
file), the EXPORTS_KEEP newest kept; nginx serves EXPORTS_DIR at /exports/ (deploy/), Django does when alone.
"""

import datetime
import gzip
import json
import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from config.spreadsheet import write_rows
from opendata import api

BATCH = 500  # records serialised at once: memory stays flat whatever the directory's size
FILE_NAME = re.compile(r"^(?P<dataset>[a-z-]+)-(?P<date>\d{4}-\d{2}-\d{2})\.(?P<format>csv|geojson)\.gz$")


@dataclass(frozen=True)
class Export:
    dataset: str  # catalogue.DATASETS' slug
    viewset: type
    formats: tuple[str, ...]


EXPORTS = [
    Export("lieux-de-sante", api.HubViewSet, ("csv", "geojson")),
    Export("professionnels", api.ProfessionalViewSet, ("csv",)),
    Export("territoires-et-densites", api.TerritoryViewSet, ("csv", "geojson")),
    Export("programmes-de-soutien", api.ProgrammeViewSet, ("csv",)),
]


class SiteAddress:
    """What the serializers ask of a request, for links in a file made without one."""

    def build_absolute_uri(self, path: str) -> str:
        return f"{settings.SITE_URL}{path}"


def chunks(values: list, size: int):
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def batches(export: Export, fmt: str):
    queryset = export.viewset.queryset.all()
    if fmt != "geojson" and export.viewset is api.TerritoryViewSet:
        queryset = queryset.defer("boundary")
    serializer = export.viewset.serializer_classes[fmt]
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for chunk in chunks(ids, BATCH):
        records = list(queryset.filter(pk__in=chunk).order_by("pk"))
        yield serializer, serializer(records, many=True, context={"request": SiteAddress()}).data


def write_csv(export: Export, out) -> int:
    out.write("\ufeff")
    header = list(export.viewset.serializer_classes["csv"]().fields)
    write_rows(out, [header])
    count = 0
    for _serializer, rows in batches(export, "csv"):
        write_rows(out, ([api.CSVRenderer.cell(row.get(name)) for name in header] for row in rows))
        count += len(rows)
    return count


def write_geojson(export: Export, out) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for _serializer, collection in batches(export, "geojson"):
        for feature in collection["features"]:
            out.write(("," if count else "") + json.dumps(feature, ensure_ascii=False))
            count += 1
    out.write("]}")
    return count


def write_all(today: datetime.date) -> list[str]:
    """Every export for `today`; returns what was written, as lines for the scheduler's log."""
    directory = settings.EXPORTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for export in EXPORTS:
        for fmt in export.formats:
            target = directory / f"{export.dataset}-{today:%Y-%m-%d}.{fmt}.gz"
            partial = target.with_name(target.name + ".partial")
            with gzip.open(partial, "wt", encoding="utf-8", newline="") as out:
                count = (write_csv if fmt == "csv" else write_geojson)(export, out)
            partial.rename(target)
            written.append(f"{target.name}: {count} records")
            same_kind = sorted(directory.glob(f"{export.dataset}-????-??-??.{fmt}.gz"), reverse=True)
            for old in same_kind[settings.EXPORTS_KEEP :]:
                old.unlink()
    return written


@dataclass(frozen=True)
class ExportFile:
    path: Path
    dataset: str
    format: str
    date: datetime.date

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def url(self) -> str:
        return reverse("open_data_export", args=[self.path.name])

    @property
    def media_type(self) -> str:
        return "text/csv" if self.format == "csv" else "application/geo+json"


def latest() -> dict[str, list[ExportFile]]:
    """The newest file of each dataset and format, by dataset (a directory listing: no database)."""
    found: dict[tuple[str, str], ExportFile] = {}
    directory = settings.EXPORTS_DIR
    for path in directory.iterdir() if directory.is_dir() else []:
        if match := FILE_NAME.match(path.name):
            key = (match["dataset"], match["format"])
            date = datetime.date.fromisoformat(match["date"])
            if key not in found or found[key].date < date:
                found[key] = ExportFile(path, match["dataset"], match["format"], date)
    by_dataset: dict[str, list[ExportFile]] = {}
    for (dataset, _fmt), export_file in sorted(found.items()):
        by_dataset.setdefault(dataset, []).append(export_file)
    return by_dataset
