"""What is derived from hubs and kept up to date on every write: the counts per territory
(`districts.DirectoryCount`), who the public directory lists (`Professional.listed`), hubs' search text, and
the version of the cached map answers.

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
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from districts.map_data import forget_districts_geojson
from districts.models import TREE_DEPTH, DirectoryCount, Territory
from hubs.map_data import forget_maps
from hubs.models import Hub
from hubs.models.hub import published_in_bulk
from professionals.models import Membership, Professional, activity_changed_in_bulk

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


def _remember_hub_place(sender, instance: Hub, **kwargs):
    # A hub that moves leaves a count behind in its previous territory.
    if instance.pk:
        instance._counted_in = (
            Hub.objects.filter(pk=instance.pk).values_list("territory_id", flat=True).first()
        )


def _remember_membership_place(sender, instance: Membership, **kwargs):
    if instance.pk:
        instance._counted_in = (
            Membership.objects.filter(pk=instance.pk).values_list("hub__territory_id", flat=True).first()
        )


def relist_professionals(professionals=None, *, touched: bool = False) -> None:
    """Keep `Professional.listed` (who the public pages show) true to its rule, for these or everyone.

    touched: where these people practise changed, which their public record (and its `updated_at`) shows.
    """
    people = Professional.objects.all() if professionals is None else professionals
    rule = Professional.objects.worth_listing().filter(pk=OuterRef("pk"))
    people.update(listed=Exists(rule), **({"updated_at": Now()} if touched else {}))


def _hub_changed(sender, instance: Hub, **kwargs):
    forget_maps()
    recount_territories([instance.territory_id, getattr(instance, "_counted_in", None)])
    if kwargs.get("signal") is post_delete or "published" in (kwargs.get("update_fields") or {"published"}):
        relist_professionals(Professional.objects.filter(memberships__hub_id=instance.pk), touched=True)


def _membership_changed(sender, instance: Membership, **kwargs):
    here = Hub.objects.filter(pk=instance.hub_id).values_list("territory_id", flat=True).first()
    recount_territories([here, getattr(instance, "_counted_in", None)])
    relist_professionals(Professional.objects.filter(pk=instance.professional_id), touched=True)


def _professional_changed(sender, instance: Professional, **kwargs):
    relist_professionals(Professional.objects.filter(pk=instance.pk))
    recount_territories(
        Hub.objects.filter(memberships__professional_id=instance.pk).values_list("territory_id", flat=True)
    )
    if getattr(instance, "_loaded", {}).get("active", instance.active) != instance.active:
        _refresh_search_texts(Hub.objects.filter(memberships__professional_id=instance.pk))


def _hubs_published_in_bulk(sender, hub_ids, **kwargs):
    forget_maps()
    recount_territories(Hub.objects.filter(pk__in=hub_ids).values_list("territory_id", flat=True))
    relist_professionals(Professional.objects.filter(memberships__hub_id__in=hub_ids), touched=True)


def _activity_changed_in_bulk(sender, professional_ids, **kwargs):
    relist_professionals(Professional.objects.filter(pk__in=professional_ids))
    hubs = Hub.objects.filter(memberships__professional_id__in=professional_ids).distinct()
    recount_territories(hubs.values_list("territory_id", flat=True))
    _refresh_search_texts(hubs)


def _refresh_search_texts(hubs) -> None:
    for hub in hubs.select_related("territory"):
        hub.refresh_search_text()


def count_if_never_counted(**_signal) -> None:
    """After migrate: a directory from before the counts existed gets them once."""
    if not DirectoryCount.objects.exists() and Hub.objects.published().exists():
        recount_territories(None)


def _refresh_hub_search_text(sender, instance, **kwargs):
    # Services and memberships feed a hub's search text; keep it right whichever screen changed them.
    hub = instance if isinstance(instance, Hub) else getattr(instance, "hub", None)
    if hub is not None and hub.pk and not kwargs.get("raw"):
        hub.refresh_search_text()
        forget_maps()  # and what the maps and the home page show of what hubs offer


def connect_signals() -> None:
    m2m_changed.connect(_refresh_hub_search_text, sender=Hub.services.through, dispatch_uid="search-services")
    post_save.connect(_refresh_hub_search_text, sender=Membership, dispatch_uid="search-membership-saved")
    post_delete.connect(_refresh_hub_search_text, sender=Membership, dispatch_uid="search-membership-deleted")
    pre_save.connect(_remember_hub_place, sender=Hub, dispatch_uid="counts-hub-place")
    post_save.connect(_hub_changed, sender=Hub, dispatch_uid="counts-hub-saved")
    post_delete.connect(_hub_changed, sender=Hub, dispatch_uid="counts-hub-deleted")
    pre_save.connect(_remember_membership_place, sender=Membership, dispatch_uid="counts-membership-place")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="counts-membership-saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="counts-membership-deleted")
    post_save.connect(_professional_changed, sender=Professional, dispatch_uid="counts-professional-saved")
    published_in_bulk.connect(
        _hubs_published_in_bulk, sender=Hub, dispatch_uid="counts-hubs-published-in-bulk"
    )
    activity_changed_in_bulk.connect(
        _activity_changed_in_bulk, sender=Professional, dispatch_uid="counts-activity-in-bulk"
    )
