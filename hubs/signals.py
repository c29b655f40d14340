"""Signal wiring for what hubs/counts.py derives: every write that changes a count, who is listed, a hub's search
text or the cached maps calls the right refresh (connected in hubs/apps.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from hubs.counts import follow_professionals, recount_territories, relist_professionals
from hubs.map_data import forget_maps
from hubs.models import Hub
from hubs.models.hub import published_in_bulk
from professionals.models import Membership, Professional, activity_changed_in_bulk


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


def _hub_changed(sender, instance: Hub, **kwargs):
    forget_maps()
    recount_territories([instance.territory_id, getattr(instance, "_counted_in", None)])
    if kwargs.get("created"):
        return  # nobody practises in a hub that did not exist a moment ago
    if kwargs.get("signal") is post_delete or "published" in (kwargs.get("update_fields") or {"published"}):
        relist_professionals(Professional.objects.filter(memberships__hub_id=instance.pk), touched=True)


def _membership_changed(sender, instance: Membership, **kwargs):
    here = Hub.objects.filter(pk=instance.hub_id).values_list("territory_id", flat=True).first()
    recount_territories([here, getattr(instance, "_counted_in", None)])
    relist_professionals(Professional.objects.filter(pk=instance.professional_id), touched=True)
    follow_professionals([instance.hub_id])


def _professional_changed(sender, instance: Professional, **kwargs):
    relist_professionals(Professional.objects.filter(pk=instance.pk))
    recount_territories(
        Hub.objects.filter(memberships__professional_id=instance.pk).values_list("territory_id", flat=True)
    )
    if getattr(instance, "_loaded", {}).get("active", instance.active) != instance.active:
        _refresh_search_texts(Hub.objects.filter(memberships__professional_id=instance.pk))
    follow_professionals(Membership.objects.filter(professional=instance).values_list("hub_id", flat=True))


def _hubs_published_in_bulk(sender, hub_ids, **kwargs):
    forget_maps()
    recount_territories(Hub.objects.filter(pk__in=hub_ids).values_list("territory_id", flat=True))
    relist_professionals(Professional.objects.filter(memberships__hub_id__in=hub_ids), touched=True)


def _activity_changed_in_bulk(sender, professional_ids, **kwargs):
    relist_professionals(Professional.objects.filter(pk__in=professional_ids))
    hubs = Hub.objects.filter(memberships__professional_id__in=professional_ids).distinct()
    recount_territories(hubs.values_list("territory_id", flat=True))
    _refresh_search_texts(hubs)
    follow_professionals(hubs.values_list("pk", flat=True))


def _refresh_search_texts(hubs) -> None:
    for hub in hubs.select_related("territory"):
        hub.refresh_search_text()


def _refresh_hub_search_text(sender, instance, **kwargs):
    # Services and memberships feed a hub's search text; keep it right whichever screen changed them.
    if kwargs.get("action", "post_").startswith("pre_") or kwargs.get("pk_set") == set():
        return  # m2m_changed says it before and after, and also when an add or remove changed nothing
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
