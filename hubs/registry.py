"""What the FINESS and RPPS imports share: reading a national extraction line by line, and writing what it
says without overwriting what a person set by hand (config/provenance.py).

Files are read as a stream (one line in memory at a time, in UTF-8 or, line by line, ISO-8859-1 as some
extractions are published), with a tqdm progress bar over the bytes read. An import runs in one transaction:
a problem, or `--dry-run`, and nothing is written.
"""

import datetime
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from config import geo, provenance
from config.imports import ImportProblem
from hubs.models import RegistrySuggestion


def lines(path: Path, *, progress: bool):
    """(number, text) of each line, decoded as UTF-8, else as ISO-8859-1 (which decodes any byte)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, also when the reader stops early)
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc})") from exc
    bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, disable=not progress, leave=False)
    try:
        for number, raw in enumerate(handle, start=1):
            bar.update(len(raw))
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("iso-8859-1")
            yield number, text.rstrip("\r\n").removeprefix("\ufeff")
    finally:
        bar.close()
        handle.close()


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


def apply(record, values: dict, *, source: str, on: datetime.date, counts: Counter) -> bool:
    """Set what the registry says on `record`; a field a person set by hand gets a suggestion instead.

    Returns whether the record changed (a second run of the same file changes nothing).
    """
    changed = False
    for field, value in values.items():
        current = getattr(record, field)
        if same(current, value):
            continue
        if record.pk and provenance.set_by_hand(record, field):
            suggest(record, field, current, value, source=source, on=on, counts=counts)
            continue
        setattr(record, field, value)
        provenance.set_by(record, field, source, on)
        changed = True
    return changed


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
