"""What is derived from hubs and kept up to date on every write (hubs/signals.py calls it): the counts per
territory (`districts.DirectoryCount`), who the public directory lists (`Professional.listed`) and whether a
hub accepts new patients when nobody set it by hand (`follow_professionals`).

The counts: what the directory holds under each territory.

Territory pages (districts) read these counts instead of loading hubs and professionals, which live in apps
above districts. Every write that changes a count (a hub published, moved or deleted; a membership; a
professional's activity, profession or planned retirement) recounts the territories concerned and every
territory above them, a fixed number of grouped queries whatever the size of the directory.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, When
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from config import provenance
from config.choices import Availability
from districts.map_data import forget_districts_geojson
from districts.models import TREE_DEPTH, DirectoryCount, Territory
from hubs.models import Hub
from professionals.models import Membership, Professional

_deferred = ContextVar("counts_deferred", default=False)


@contextmanager
def counts_deferred():
    """Many hubs written at once (boundaries moved): recount everything once at the end, not per hub."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    recount_territories(None)


@transaction.atomic
def recount_territories(territory_ids: Iterable[int] | None = None) -> None:
    """Recount these territories and those above them; every territory when None (bulk loads)."""
    if _deferred.get():
        return
    scope = None
    if territory_ids is not None:
        scope = list(
            Territory.objects.enclosing_any({pk for pk in territory_ids if pk}).values_list("pk", flat=True)
        )
        if not scope:
            return
    stale = DirectoryCount.objects.all()
    if scope is not None:
        stale = stale.filter(territory_id__in=scope)
    stale.delete()
    table = DirectoryCount._meta.db_table
    for depth in range(TREE_DEPTH):
        path = "territory" + "__parent" * depth
        hubs = Hub.objects.published().filter(**_under(path, scope))
        _insert(table, "territory_id, count", hubs.values(above=F(path)).annotate(n=Count("pk")))
        practising = Membership.objects.public().filter(
            professional__active=True, **_under(f"hub__{path}", scope)
        )
        per_profession = practising.values(
            above=F(f"hub__{path}"),
            profession=F("professional__profession"),
            # Only GPs' plans are ever shown (aggregated); other professions are counted without a year.
            year=Case(
                When(
                    professional__profession__counts_as_gp=True,
                    then=F("professional__planned_retirement_year"),
                )
            ),
        ).annotate(n=Count("professional", distinct=True))  # one person in two hubs counts once
        _insert(table, "territory_id, profession_id, planned_retirement_year, count", per_profession)
    forget_districts_geojson()  # its computed densities come from these counts


def _insert(table: str, columns: str, grouped) -> None:
    """INSERT … SELECT: the grouped rows go from the query into the table without a trip through Python."""
    sql, params = grouped.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def _under(path: str, scope: list[int] | None) -> dict:
    return {f"{path}__isnull": False} if scope is None else {f"{path}__in": scope}


def relist_professionals(professionals=None, *, touched: bool = False) -> None:
    """Keep `Professional.listed` (who the public pages show) true to its rule, for these or everyone.

    touched: where these people practise changed, which their public record (and its `updated_at`) shows.
    """
    people = Professional.objects.all() if professionals is None else professionals
    rule = Professional.objects.worth_listing().filter(pk=OuterRef("pk"))
    people.update(listed=Exists(rule), **({"updated_at": Now()} if touched else {}))


def follow_professionals(hub_ids: Iterable[int]) -> None:
    """A hub's "accepts new patients" follows its active professionals unless a person set it on the hub: yes
    when one of them accepts, no when every one who answered said no, "non renseigné" when nobody answered;
    dated by the newest answer it rests on. Saved (so in the hub's history, with why) only when it changes."""
    for hub in Hub.objects.filter(pk__in=[pk for pk in hub_ids if pk]):
        if provenance.set_by_hand(hub, "accepting_new_patients"):
            continue
        answers = Professional.objects.active().filter(memberships__hub=hub)
        said = list(
            answers.exclude(accepting_new_patients=Availability.UNKNOWN).values_list(
                "accepting_new_patients", "accepting_as_of"
            )
        )
        value = Availability.YES if any(a == Availability.YES for a, _ in said) else Availability.UNKNOWN
        value = Availability.NO if said and value == Availability.UNKNOWN else value
        as_of = max((day for answer, day in said if day and answer == value), default=None)
        if (hub.accepting_new_patients, hub.accepting_as_of) != (value, as_of):
            hub.accepting_new_patients, hub.accepting_as_of = value, as_of
            hub._change_reason = str(_("d'après ses professionnels"))
            hub.save(update_fields=["accepting_new_patients", "accepting_as_of"])


def count_if_never_counted(**_signal) -> None:
    """After migrate: a directory from before the counts existed gets them once."""
    if not DirectoryCount.objects.exists() and Hub.objects.published().exists():
        recount_territories(None)
