"""A GTFS feed's stops and lines, read with the csv module straight from the zip, written in one transaction.

Why not a GTFS library: the maintained ones (gtfs-kit, partridge) load whole tables into pandas, and
stop_times.txt is the biggest file of a feed (hundreds of MB for a large network); all we need from it is which
lines call at which stop, which a streamed pass over the rows gives in constant memory per row.
"""

import csv
import datetime
import io
import zipfile
from pathlib import Path

from django.contrib.gis.geos import Polygon
from django.db import transaction
from django.utils import timezone

from config import geo
from config.imports import ImportProblem, Progress, quiet
from hubs.models.transit import TransitFeed, TransitRoute, TransitStop

REQUIRED = ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"]
Mode = TransitRoute.Mode
BASIC_ROUTE_TYPES = {
    0: Mode.TRAM, 1: Mode.METRO, 2: Mode.RAIL, 3: Mode.BUS, 4: Mode.FERRY, 5: Mode.CABLE_TRAM,
    6: Mode.AERIAL_LIFT, 7: Mode.FUNICULAR, 11: Mode.TROLLEYBUS, 12: Mode.MONORAIL,
}  # fmt: skip
# The "extended" route types some European feeds use (hundreds: 100 railway, 400 urban railway, 700 bus…).
EXTENDED_ROUTE_TYPES = {
    1: Mode.RAIL, 2: Mode.RAIL, 4: Mode.METRO, 7: Mode.BUS, 8: Mode.TROLLEYBUS, 9: Mode.TRAM,
    10: Mode.FERRY, 12: Mode.FERRY, 13: Mode.AERIAL_LIFT, 14: Mode.FUNICULAR,
}  # fmt: skip
STOP_OR_PLATFORM = {
    "",
    "0",
}  # stations (1), entrances (2), nodes (3) and boarding areas (4) are not where you wait


def route_mode(value: str, *, where: str) -> str:
    try:
        code = int(value)
    except ValueError:
        raise ImportProblem(f"{where}: route_type {value!r} is not a number") from None
    mode = BASIC_ROUTE_TYPES.get(code) or (EXTENDED_ROUTE_TYPES.get(code // 100) if code >= 100 else None)
    if mode is None:
        raise ImportProblem(f"{where}: route_type {code} is not a GTFS route type")
    return mode


def colour(value: str, *, where: str) -> str:
    value = value.strip().upper()
    if value and not (len(value) == 6 and all(c in "0123456789ABCDEF" for c in value)):
        raise ImportProblem(f"{where}: colour {value!r} is not six hexadecimal digits")
    return value


def gtfs_date(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date() if value else None
    except ValueError:
        return None  # feed_info dates are informative: a bad one is left out, not fatal


class Feed:
    """The zip, opened once; each table read as dicts, row by row."""

    def __init__(self, path: Path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise ImportProblem(f"{path}: not a readable zip file ({exc})") from exc
        self.path = path
        names = {Path(n).name: n for n in self.zip.namelist()}  # some feeds put the files in a folder
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise ImportProblem(
                f"{path}: {', '.join(missing)} missing (a GTFS feed has {', '.join(REQUIRED)})"
            )
        self.names = names

    def has(self, name: str) -> bool:
        return name in self.names

    def rows(self, name: str, required: list[str]):
        with self.zip.open(self.names[name]) as raw:
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportProblem(f"{self.path}: {name} has no column {', '.join(missing)}")
            for number, row in enumerate(reader, start=2):
                yield f"{name} line {number}", {k: (v or "").strip() for k, v in row.items() if k}


def read_routes(feed: Feed) -> dict[str, dict]:
    routes = {}
    for where, row in feed.rows("routes.txt", ["route_id", "route_type"]):
        if not (row.get("route_short_name") or row.get("route_long_name")):
            raise ImportProblem(f"{where}: route {row['route_id']!r} has neither a short nor a long name")
        routes[row["route_id"]] = {
            "gtfs_id": row["route_id"],
            "short_name": row.get("route_short_name", "")[:50],
            "long_name": row.get("route_long_name", "")[:300],
            "mode": route_mode(row["route_type"], where=where),
            "color": colour(row.get("route_color", ""), where=where),
            "text_color": colour(row.get("route_text_color", ""), where=where),
        }
    return routes


def read_stops(feed: Feed) -> dict[str, dict]:
    stops = {}
    for where, row in feed.rows("stops.txt", ["stop_id", "stop_name", "stop_lat", "stop_lon"]):
        if row.get("location_type", "") not in STOP_OR_PLATFORM:
            continue
        try:
            location = geo.point(lat=float(row["stop_lat"]), lng=float(row["stop_lon"]))
        except ValueError:
            raise ImportProblem(
                f"{where}: stop {row['stop_id']!r} has no valid position "
                f"(stop_lat {row['stop_lat']!r}, stop_lon {row['stop_lon']!r})"
            ) from None
        stops[row["stop_id"]] = {
            "gtfs_id": row["stop_id"],
            "name": row["stop_name"][:200],
            "location": location,
        }
    return stops


def lines_at_stops(feed: Feed, *, routes: dict, stops: dict, progress: Progress) -> set[tuple[str, str]]:
    """(stop id, route id) pairs: which lines call where, from one pass over stop_times.txt."""
    route_of_trip = {}
    for where, row in feed.rows("trips.txt", ["trip_id", "route_id"]):
        if row["route_id"] not in routes:
            raise ImportProblem(
                f"{where}: trip {row['trip_id']!r} names route {row['route_id']!r}, not in routes.txt"
            )
        route_of_trip[row["trip_id"]] = row["route_id"]
    calls = set()
    for count, (where, row) in enumerate(feed.rows("stop_times.txt", ["trip_id", "stop_id"]), start=1):
        route = route_of_trip.get(row["trip_id"])
        if route is None:
            raise ImportProblem(f"{where}: trip {row['trip_id']!r} is not in trips.txt")
        if row["stop_id"] in stops:  # a call at a station-level stop names no platform: not shown
            calls.add((row["stop_id"], route))
        if count % 100_000 == 0:
            progress(f"stop_times.txt: {count:,} rows read")
    return calls


def feed_details(feed: Feed) -> dict:
    agency = next((row for _where, row in feed.rows("agency.txt", ["agency_name"])), None)
    if agency is None:
        raise ImportProblem(f"{feed.path}: agency.txt names no agency")
    details = {"publisher": agency["agency_name"][:200], "publisher_url": agency.get("agency_url", "")[:200]}
    if feed.has("feed_info.txt"):
        info = next((row for _where, row in feed.rows("feed_info.txt", [])), {})
        details |= {
            "publisher": (info.get("feed_publisher_name") or details["publisher"])[:200],
            "publisher_url": (info.get("feed_publisher_url") or details["publisher_url"])[:200],
            "version": info.get("feed_version", "")[:300],
            "valid_from": gtfs_date(info.get("feed_start_date", "")),
            "valid_until": gtfs_date(info.get("feed_end_date", "")),
        }
    return details


def import_gtfs(*, path: Path, code: str, licence: str = "", progress: Progress = quiet) -> dict:
    """Replace the stops and lines of the feed `code` with the file's. All or nothing; the same file twice
    gives the same rows."""
    feed = Feed(path)
    details = feed_details(feed)
    routes = read_routes(feed)
    stops = read_stops(feed)
    if not stops:
        raise ImportProblem(f"{path}: stops.txt holds no stop with a position")
    calls = lines_at_stops(feed, routes=routes, stops=stops, progress=progress)
    xs = [s["location"].x for s in stops.values()]
    ys = [s["location"].y for s in stops.values()]
    extent = Polygon.from_bbox((min(xs), min(ys), max(xs), max(ys)))
    extent.srid = geo.WGS84
    with transaction.atomic():
        record, _created = TransitFeed.objects.update_or_create(
            code=code,
            defaults={**details, "licence": licence, "imported_at": timezone.now(), "extent": extent},
        )
        record.stops.all().delete()
        record.routes.all().delete()
        saved_routes = {
            r.gtfs_id: r
            for r in TransitRoute.objects.bulk_create(
                TransitRoute(feed=record, **values) for values in routes.values()
            )
        }
        saved_stops = {
            s.gtfs_id: s
            for s in TransitStop.objects.bulk_create(
                (TransitStop(feed=record, **values) for values in stops.values()), batch_size=2000
            )
        }
        Through = TransitStop.routes.through
        Through.objects.bulk_create(
            (
                Through(transitstop_id=saved_stops[stop].pk, transitroute_id=saved_routes[route].pk)
                for stop, route in sorted(calls)
            ),
            batch_size=5000,
        )
    progress("\n")
    return {"stops": len(stops), "routes": len(routes), "calls": len(calls)}
