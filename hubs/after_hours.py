"""When nothing near is open: the numbers to call (settings, with their sources) and the nearest on-call medical
centre and pharmacy open now."""

import datetime

from django.conf import settings
from django.db.models import prefetch_related_objects

from hubs.models import Hub
from hubs.models.schedule import closures_by_date

NEAR_KM = 15
OPEN_LATE = [Hub.Kind.MAISON_MEDICALE_GARDE, Hub.Kind.PHARMACY]


def numbers_for(postcode: str) -> list[dict]:
    department = postcode[:2] if len(postcode) == 5 and postcode.isdigit() else ""
    doctor = settings.AFTER_HOURS_DOCTOR.get(department) or settings.AFTER_HOURS_DOCTOR["default"]
    return [doctor, *settings.AFTER_HOURS_NATIONAL]


def open_nearby(point, moment: datetime.datetime) -> list[Hub]:
    """The nearest of each kind open at `moment` within NEAR_KM: one small query a kind, from the spatial index."""
    if point is None:
        return []
    found = (
        Hub.objects.published()
        .filter(kind=kind)
        .open_at(moment)
        .near(point, km=NEAR_KM)
        .order_by("distance")
        .first()
        for kind in OPEN_LATE
    )
    return [hub for hub in found if hub is not None]


def after_hours(*, point, postcode: str, moment: datetime.datetime) -> dict:
    return {"numbers": numbers_for(postcode), "open": open_nearby(point, moment)}


def for_results(hubs: list[Hub], *, point, moment: datetime.datetime) -> dict | None:
    """Each hub of a page of results told whether it is open and when that changes (hours read for this page
    only: asked of the whole ordered set, they would be read for every row); the box when none shown is open."""
    prefetch_related_objects(hubs, "opening_hours", closures_by_date())
    for hub in hubs:
        hub.note_opening(moment)
    if any(hub.open_now for hub in hubs) or not any(hub.open_now is False for hub in hubs):
        return None
    return after_hours(point=point or hubs[0].location, postcode=hubs[0].postcode, moment=moment)
