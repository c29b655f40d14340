"""What the FINESS and RPPS imports share: reading a national extraction line by line, and writing what it
says without overwriting what a person set by hand (config/provenance.py).

Files are read as a stream (one line in memory at a time, in UTF-8 or, line by line, ISO-8859-1 as some
extractions are published), with a tqdm progress bar over the bytes read. An import runs in one transaction:
a problem, or `--dry-run`, and nothing is written.
"""

import csv
import datetime
import enum
import re
from collections import Counter
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from config import geo, provenance
from config.imports import ImportProblem
from hubs.models import RegistrySuggestion

LINE_END = re.compile(rb"\r\n|\r|\n")
CHUNK = 1 << 20


def lines(path: Path, *, progress: bool):
    """(number, text) of each line, whatever ends it (\n, \r\n, or a lone \r as some tools save files),
    decoded as UTF-8, else Windows-1252 (what "ISO-8859-1" files from Windows really are: 0x92 is ’), else
    ISO-8859-1 (which decodes any byte). Read by chunks: one line in memory at a time."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, also when the reader stops early)
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc})") from exc
    bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, disable=not progress, leave=False)
    number, pending = 0, b""
    try:
        while chunk := handle.read(CHUNK):
            bar.update(len(chunk))
            pending += chunk
            held = pending[-1:] if pending.endswith(b"\r") else b""  # maybe the first half of \r\n
            *complete, pending = LINE_END.split(pending[: len(pending) - len(held)])
            pending += held
            for raw in complete:
                number += 1
                yield number, decode(raw, first=number == 1)
        if pending := pending.removesuffix(b"\r"):  # the last line, without an ending
            yield number + 1, decode(pending, first=number == 0)
    finally:
        bar.close()
        handle.close()


def decode(raw: bytes, *, first: bool = False) -> str:
    for encoding in ("utf-8", "cp1252", "iso-8859-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return text.removeprefix("\ufeff") if first else text


COMMUNES_FILE = settings.BASE_DIR / "fixtures" / "data" / "communes_france_2024_limite.csv"


@cache
def commune_table() -> dict[str, tuple[str, str]]:
    """INSEE code -> (the commune's name as written, its postcode), for every French commune (INSEE, 2024)."""
    with open(COMMUNES_FILE, encoding="utf-8", newline="") as handle:
        return {
            row["code_insee"]: (row["nom_standard"], row["code_postal"])
            for row in csv.DictReader(handle, delimiter=";")
        }


@contextmanager
def all_or_nothing(dry_run: bool):
    """One transaction; rolled back at the end of a dry run, so its counts are exactly what a run would do."""
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)


def as_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "coords"):  # a point: "lat,lng", as people read positions
        return f"{value.y:.6f},{value.x:.6f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def same(current, value) -> bool:
    if hasattr(current, "coords") and hasattr(value, "coords"):
        return current.distance(value) < 1e-6  # a registry's coordinates, converted, at the metre
    return current == value


class Outcome(enum.IntEnum):
    NOTHING = 0  # a second run of the same file
    CONFIRMED = 1  # same values, from a newer extraction: only the dates the pages cite move on
    CHANGED = 2


def apply(record, values: dict, *, source: str, on: datetime.date, counts: Counter) -> Outcome:
    """Set what the registry says on `record`; a field a person set by hand gets a suggestion instead."""
    changed = confirmed = False
    for field, value in values.items():
        current = getattr(record, field)
        if same(current, value):
            origin = (record.provenance or {}).get(field, {})
            if origin.get("by") == source and origin.get("on", "") < on.isoformat():
                provenance.set_by(record, field, source, on)
                confirmed = True
            continue
        if record.pk and provenance.set_by_hand(record, field):
            suggest(record, field, current, value, source=source, on=on, counts=counts)
            continue
        setattr(record, field, value)
        provenance.set_by(record, field, source, on)
        changed = True
    return Outcome.CHANGED if changed else Outcome.CONFIRMED if confirmed else Outcome.NOTHING


# A run may close (or deactivate) at most this share of what it manages, past a handful, unless told how many.
MAX_CLOSED_SHARE, CLOSURES_ALWAYS_ALLOWED = 0.05, 10
MAX_CLOSURES_LISTED = 50


def check_closures(closing: int, managed: int, *, allowed: int, what: str, names) -> None:
    """Refuse a run that would close more than a small share of what it manages, unless `--allow-closures N`
    says that many are expected: a truncated or damaged file must not empty the directory."""
    if closing <= CLOSURES_ALWAYS_ALLOWED or closing <= managed * MAX_CLOSED_SHARE or closing <= allowed:
        return
    listed = ", ".join(list(names[:MAX_CLOSURES_LISTED]))
    raise ImportProblem(
        f"this file would close {closing} of the {managed} {what} it manages (more than "
        f"{MAX_CLOSED_SHARE:.0%} and more than {CLOSURES_ALWAYS_ALLOWED}): is it complete? If these closures are "
        f"expected, run again with --allow-closures {closing}. Would close: {listed}"
    )


def decided_by_hand(record, *fields) -> bool:
    return any(provenance.set_by_hand(record, field) for field in fields)


def suggest(record, field, current, value, *, source, on, counts: Counter) -> None:
    """One pending suggestion per field, updated to the newest extraction; never one already refused."""
    owner = {"hub": record} if record._meta.model_name == "hub" else {"professional": record}
    decided = RegistrySuggestion.objects.filter(**owner, field=field, value=as_text(value))
    if decided.filter(status=RegistrySuggestion.Status.REJECTED).exists():
        return
    pending = RegistrySuggestion.objects.filter(
        **owner, field=field, status=RegistrySuggestion.Status.PENDING
    )
    found = pending.first()
    if found and found.value == as_text(value):
        return
    RegistrySuggestion.objects.update_or_create(
        **owner,
        field=field,
        status=RegistrySuggestion.Status.PENDING,
        defaults={"current": as_text(current), "value": as_text(value), "source": source, "extracted_on": on},
    )
    counts["suggested"] += 1


def coerce(field: str, text: str):
    """A suggestion's text back to the field's value."""
    if field == "location":
        lat, lng = (float(part) for part in text.split(","))
        return geo.point(lat=lat, lng=lng)
    if field == "opened_on":
        return datetime.date.fromisoformat(text) if text else None
    if field == "profession_id":
        return int(text)
    if field == "active":
        return text == "True"
    return text


@transaction.atomic
def decide(suggestion: RegistrySuggestion, *, accept: bool, user) -> None:
    """An editor's answer. Accepted, the registry's value replaces theirs and the registry keeps the field."""
    from hubs.services import save_hub  # services writes hubs and imports this module's neighbours

    if suggestion.status != RegistrySuggestion.Status.PENDING:
        return
    if not RegistrySuggestion.objects.decidable_by(user).filter(pk=suggestion.pk).exists():
        raise PermissionDenied(_("Cette suggestion revient aux éditeurs de la ville."))
    if accept:
        record = suggestion.record
        setattr(record, suggestion.field, coerce(suggestion.field, suggestion.value))
        provenance.set_by(record, suggestion.field, suggestion.source, suggestion.extracted_on)
        record._history_user = user
        if suggestion.hub_id:
            save_hub(
                record, expected_version=record.version
            )  # no user: the value is the registry's, not theirs
        else:
            record.save()
    suggestion.status = RegistrySuggestion.Status.ACCEPTED if accept else RegistrySuggestion.Status.REJECTED
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion.save()
