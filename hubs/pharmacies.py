"""Lille-area pharmacies from OpenStreetMap (Opendatasoft JSON): their opening hours read, written as hubs.

Every write goes through `save_hub` (version-checked), in one transaction: a bad record and nothing is written.
"""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

from django.db import transaction

from config import geo, provenance
from config.choices import Availability
from config.imports import ImportProblem, Progress, quiet
from config.text import unique_slug
from hubs import registry
from hubs.counts import counts_deferred
from hubs.models import Hub, OpeningHours, Service
from hubs.services import save_hub

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
PHARMACY_SOURCE = "Métropole Européenne de Lille, pharmacies (OpenStreetMap, ODbL), 1er avril 2022"
EXTRACTED_ON = datetime.date(2022, 4, 1)
WHEELCHAIR = {"yes": Availability.YES, "no": Availability.NO}  # "limited" stays unknown: it may not suffice


class OpeningHoursSyntaxError(ValueError):
    pass


def _days(spec: str) -> list[int]:
    days = []
    for part in spec.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise OpeningHoursSyntaxError(f"unknown day {part!r}")
        start, end = DAYS.index(first), DAYS.index(last or first)
        days.extend(range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)])
    return days


def _time(text: str) -> datetime.time:
    hours, minutes = (int(v) for v in text.split(":"))
    if (hours, minutes) == (24, 0):
        return datetime.time(23, 59)
    return datetime.time(hours, minutes)


def parse_opening_hours(text: str) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    """The common subset of OSM opening_hours: 'Mo-Fr 09:00-12:30,14:00-19:00; Sa 09:00-12:00; Su off'.

    ';' starts a rule that replaces the days it names; ', Sa …' adds to the rule before it; PH rules are
    left to the public-holiday logic; anything else raises OpeningHoursSyntaxError.
    """
    text = (text or "").strip()
    if text == "24/7":
        return {day: [(datetime.time(0, 0), datetime.time(23, 59))] for day in range(7)}
    week: dict[int, list] = {}
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        touched: dict[int, list] = {}
        for segment in re.split(r",\s*(?=(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b)", rule):
            match = re.fullmatch(r"((?:Mo|Tu|We|Th|Fr|Sa|Su|PH)[A-Za-z,\- ]*?)\s+(.+)", segment.strip())
            if not match:
                raise OpeningHoursSyntaxError(f"cannot read {segment!r}")
            day_spec, times = match.groups()
            if day_spec.startswith("PH"):
                continue
            days = _days(day_spec)
            if times.strip() in ("off", "closed"):
                intervals = []
            else:
                intervals = []
                for interval in times.split(","):
                    found = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", interval)
                    if not found:
                        raise OpeningHoursSyntaxError(f"cannot read the hours {interval!r}")
                    opens, closes = _time(found.group(1)), _time(found.group(2))
                    if closes <= opens:
                        raise OpeningHoursSyntaxError(f"{interval!r} closes before it opens")
                    intervals.append((opens, closes))
            for day in days:
                touched.setdefault(day, []).extend(intervals)
        week.update(touched)
    return {day: _merged(intervals) for day, intervals in week.items()}


def _merged(intervals):
    """Overlapping or repeated intervals of one day become one."""
    merged = []
    for opens, closes in sorted(intervals):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


@transaction.atomic
def import_pharmacies(*, path: Path, progress: Progress = quiet) -> Counter:
    """The MEL pharmacies as hubs of kind PHARMACY, keyed by FINESS (or their OSM object)."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportProblem(f"{path}: not a readable JSON file ({exc})") from exc
    if not isinstance(records, list):
        raise ImportProblem(f"{path}: expected a list of Opendatasoft records")
    with counts_deferred():  # the territories' counts once at the end, not once per pharmacy
        return _write(records, progress)


def _write(records: list, progress: Progress) -> Counter:
    service, _ = Service.objects.get_or_create(
        slug="pharmacie", defaults={"name": "Pharmacie", "category": Service.Category.CARE}
    )
    counts, written = Counter(), set()
    # An add that changes nothing still writes a history version of the hub: only where it is missing.
    offering = set(Hub.services.through.objects.filter(service=service).values_list("hub_id", flat=True))
    for number, record in enumerate(records, start=1):
        fields = (record or {}).get("fields") or {}
        label = f"record {number} ({fields.get('osm_id', '?')})"
        coordinates = ((record or {}).get("geometry") or {}).get("coordinates")
        if not (isinstance(coordinates, list) and len(coordinates) == 2):
            raise ImportProblem(f"{label}: geometry.coordinates is missing")
        try:
            location = geo.point(lat=float(coordinates[1]), lng=float(coordinates[0]))
        except (TypeError, ValueError) as exc:
            raise ImportProblem(f"{label}: geometry.coordinates {coordinates!r} is not a position") from exc
        finess = re.sub(r"\s", "", str(fields.get("ref_finess") or "")) or None  # OSM has "59 000 996 5"
        if finess and not re.fullmatch(r"\d{9}|\d[AB]\d{7}", finess):
            raise ImportProblem(f"{label}: ref_finess {finess!r} is not a FINESS number")
        osm_url = f"https://www.openstreetmap.org/{fields['osm_id']}" if fields.get("osm_id") else ""
        hub = (Hub.objects.filter(finess=finess).first() if finess else None) or (
            Hub.objects.filter(source_url=osm_url, kind=Hub.Kind.PHARMACY).first() if osm_url else None
        )
        if hub is not None and hub.pk in written:
            counts["repeated"] += 1  # the file lists the same pharmacy twice: the first record stands
            continue
        name = (
            fields.get("name") or ""
        ).strip() or f"Pharmacie ({fields.get('com_nom', 'commune inconnue')})"
        values = {
            "name": name[:200],
            "kind": Hub.Kind.PHARMACY,
            "finess": finess,
            "city": fields.get("com_nom", "")[:120],
            "location": location,
            "phone": (fields.get("phone") or "")[:30],
            "wheelchair_access": WHEELCHAIR.get(fields.get("wheelchair"), Availability.UNKNOWN),
        }
        if hub is None:
            slug = unique_slug(Hub.objects.all(), f"{name} {fields.get('com_nom', '')}", fallback="pharmacie")
            hub = Hub(slug=slug, source=PHARMACY_SOURCE, source_url=osm_url)
            counts["created"] += 1
        changed = registry.apply(hub, values, source=provenance.OSM, on=EXTRACTED_ON, counts=counts)
        if hub.pk is None or changed:
            counts["updated"] += hub.pk is not None
            save_hub(hub, expected_version=hub.version if hub.pk else None)
        written.add(hub.pk)
        if hub.pk not in offering:
            hub.services.add(service)
        if fields.get("opening_hours"):
            try:
                week = parse_opening_hours(fields["opening_hours"])
            except OpeningHoursSyntaxError:
                counts["hours_unread"] += 1
            else:
                counts["hours"] += 1
                wanted = {(day, o, c) for day, items in week.items() for o, c in items}
                if wanted != set(hub.opening_hours.values_list("weekday", "opens", "closes")):
                    hub.opening_hours.all().delete()
                    OpeningHours.objects.bulk_create(
                        OpeningHours(hub=hub, weekday=d, opens=o, closes=c) for d, o, c in wanted
                    )
        progress(
            f"{number}/{len(records)} pharmacies, {counts['created']} created, {counts['updated']} updated"
        )
    progress("\n")
    return counts
