"""Writes that span models: every write to a hub (through its version check), merges, and a resident's report.

A hub carries a version. A writer says which version it started from; the write is a conditional UPDATE
on that version (`claim_version`), so of two people editing the same hub the second is refused instead of
silently overwriting the first. A missing version is a conflict too: nobody writes a hub blind.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from config import provenance
from config.history import display_value
from hubs import notices
from hubs.counts import counts_deferred
from hubs.models import Closure, CorrectionRequest, Hub, HubRedirect, OpeningHours
from hubs.schema import FILLED_FROM_DUPLICATE, HAND_EDITED_FIELDS
from professionals.models import Membership

# Fields only the verification action writes, and the version itself: never restored from history.
NEVER_RESTORED = {"id", "version", "last_verified_on", "verified_by", "search_text"}


class VersionConflict(Exception):
    """Someone saved the hub after the writer loaded it."""

    def __init__(self, hub: Hub, started_from: int | None):
        self.hub, self.started_from = hub, started_from
        super().__init__(conflict_message(hub, started_from))


def conflict_message(hub: Hub, started_from: int | None) -> str:
    if not started_from:
        return _(
            "Ce formulaire ne dit pas de quelle version du lieu il part : rien n'a été enregistré. "
            "Rechargez la page, puis refaites vos changements."
        )
    newer = list(hub.history.filter(version__gte=started_from).order_by("history_date", "history_id"))
    lines = []
    for older, record in zip(newer, newer[1:], strict=False):
        who = record.history_user or _("quelqu'un")
        changes = record.diff_against(older).changes
        fields = ", ".join(
            f"{Hub._meta.get_field(c.field).verbose_name} : « {display_value(Hub._meta.get_field(c.field), c.old)} »"
            f" → « {display_value(Hub._meta.get_field(c.field), c.new)} »"
            for c in changes
            if c.field != "version"
        )
        lines.append(
            f"{who}, {timezone.localtime(record.history_date):%d/%m/%Y %H:%M} — {fields or _('horaires ou liens')}"
        )
    summary = " ; ".join(lines) or _("une autre modification")
    return _(
        "Ce lieu a été modifié par quelqu'un d'autre pendant que vous l'éditiez : %(summary)s. "
        "Rien n'a été enregistré : rechargez la page pour repartir de la version actuelle, puis refaites vos changements."
    ) % {"summary": summary}


def check_version(hub: Hub, *, expected_version: int | None) -> None:
    """Early, friendly refusal (a form's validation); claim_version is the one that counts."""
    current = Hub.objects.filter(pk=hub.pk).values_list("version", flat=True).first()
    if not expected_version or expected_version != current:
        raise VersionConflict(hub, expected_version)


def claim_version(hub: Hub, *, expected_version: int | None) -> None:
    """The conditional UPDATE: bumps the version only if it is still the one the writer started from.

    The row stays locked until the transaction ends, so two writers cannot both pass.
    """
    claimed = bool(expected_version) and Hub.objects.filter(pk=hub.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise VersionConflict(hub, expected_version)
    hub.version = expected_version + 1


@transaction.atomic
def save_hub(hub: Hub, *, expected_version: int | None, user=None, update_fields=None) -> Hub:
    """Create a hub, or update it if nobody saved it since `expected_version`."""
    if user is not None:
        hub._history_user = user
        if provenance.record_hand_edit(hub, user, HAND_EDITED_FIELDS) and update_fields is not None:
            update_fields = [*update_fields, "provenance"]
    if hub.pk is None:
        hub.version = 1
        hub.save()
        return hub
    claim_version(hub, expected_version=expected_version)
    hub.save(update_fields=None if update_fields is None else [*update_fields, "version"])
    return hub


@transaction.atomic
@transaction.atomic
def submit_report(*, report: CorrectionRequest, hub: Hub, language: str) -> CorrectionRequest:
    """A resident's report on `hub`: stored, and the mail to the hub's staff queued with it (sent by
    run_scheduled, so a mail server that is down loses nothing)."""
    report.hub, report.language = hub, language
    report.save()
    notices.new_report(report)
    return report


def mark_verified(hubs: Iterable[Hub], *, user) -> int:
    """A city editor checked these hubs today: the date the public page shows as "vérifié le"."""
    today, count = timezone.localdate(), 0
    for hub in hubs:
        hub.last_verified_on, hub.verified_by = today, user
        save_hub(
            hub, expected_version=hub.version, user=user, update_fields=["last_verified_on", "verified_by"]
        )
        count += 1
    return count


def follow_boundaries(**_signal) -> int:
    """District boundaries changed: hubs placed automatically move to the district that now covers them."""
    from districts.models import Territory

    covering = Territory.objects.districts().filter(boundary__covers=OuterRef("location")).order_by("pk")
    moved = (
        Hub.objects.filter(territory_set_by_hand=False, location__isnull=False)
        .annotate(district=Subquery(covering.values("pk")[:1]))
        .filter(
            Q(district__isnull=True, territory__isnull=False)
            | Q(district__isnull=False, territory__isnull=True)
            | (Q(district__isnull=False, territory__isnull=False) & ~Q(territory_id=F("district")))
        )
    )
    count = 0
    # Boundaries or the tree changed: the counts per territory are redone once, at the end.
    with transaction.atomic(), counts_deferred():
        for hub in moved:
            save_hub(hub, expected_version=hub.version)  # Hub.save() finds the district
            count += 1
    return count


@dataclass(frozen=True)
class Children:
    """A hub's hours and closures at one moment, comparable and restorable."""

    hours: frozenset
    closures: frozenset

    @classmethod
    def of(cls, hours, closures) -> "Children":
        return cls(
            frozenset((h.weekday, h.opens, h.closes) for h in hours),
            frozenset((c.starts_on, c.ends_on, c.reason) for c in closures),
        )


def children_now(hub: Hub) -> Children:
    return Children.of(hub.opening_hours.all(), hub.closures.all())


def children_as_of(hub: Hub, moment: datetime.datetime) -> Children:
    return Children.of(
        OpeningHours.history.as_of(moment).filter(hub_id=hub.pk),
        Closure.history.as_of(moment).filter(hub_id=hub.pk),
    )


def end_of_version(record) -> datetime.datetime | None:
    """When the version of this history record stopped being current (None: it still is).

    A save writes the hub first and its hours and closures after: the children of version v are those in
    place just before the first record of a later version.
    """
    later = (
        record.instance.history.filter(history_date__gt=record.history_date)
        .exclude(version=record.version)
        .order_by("history_date", "history_id")
        .values_list("history_date", flat=True)
        .first()
    )
    return None if later is None else later - datetime.timedelta(microseconds=1)


class ChildrenTimeline:
    """A hub's hours and closures through its history, from two queries (for the history page)."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self.versions = list(
            hub.history.order_by("history_date", "history_id").values_list("history_date", "version")
        )
        self.hours = list(
            OpeningHours.history.filter(hub_id=hub.pk)
            .order_by("history_date", "history_id")
            .values_list("history_date", "history_type", "id", "weekday", "opens", "closes")
        )
        self.closures = list(
            Closure.history.filter(hub_id=hub.pk)
            .order_by("history_date", "history_id")
            .values_list("history_date", "history_type", "id", "starts_on", "ends_on", "reason")
        )

    @staticmethod
    def _state(rows, moment):
        alive = {}
        for date, kind, pk, *values in rows:
            if moment is not None and date > moment:
                break
            if kind == "-":
                alive.pop(pk, None)
            else:
                alive[pk] = tuple(values)
        return frozenset(alive.values())

    def after_version(self, record) -> Children:
        later = next((d for d, v in self.versions if d > record.history_date and v != record.version), None)
        moment = None if later is None else later - datetime.timedelta(microseconds=1)
        return Children(self._state(self.hours, moment), self._state(self.closures, moment))


@transaction.atomic
def restore_hub(
    hub: Hub,
    *,
    record,
    fields: Iterable[str],
    m2m: Iterable[str] = (),
    expected_version: int | None,
    user=None,
) -> Hub:
    """Bring back a version: the given fields (those the user may edit), many-to-many links, hours, closures.

    Raises VersionConflict, or ValidationError when the old values no longer fit (a slug taken since).
    """
    claim_version(hub, expected_version=expected_version)
    for name in set(fields) - NEVER_RESTORED:
        attname = Hub._meta.get_field(name).attname
        setattr(hub, attname, getattr(record, attname))
    hub.full_clean(exclude=["version"])
    if user is not None:
        hub._history_user = user
    hub.save()
    for name in m2m:
        target = Hub._meta.get_field(name).m2m_reverse_field_name()
        getattr(hub, name).set([getattr(row, f"{target}_id") for row in getattr(record, name).all()])
    moment = end_of_version(record)
    if moment is not None:
        _replace_children(hub, children_as_of(hub, moment))
    return hub


def _replace_children(hub: Hub, wanted: Children) -> None:
    if children_now(hub).hours != wanted.hours:
        hub.opening_hours.all().delete()
        for weekday, opens, closes in sorted(wanted.hours):
            OpeningHours.objects.create(hub=hub, weekday=weekday, opens=opens, closes=closes)
    if children_now(hub).closures != wanted.closures:
        hub.closures.all().delete()
        for starts_on, ends_on, reason in sorted(wanted.closures):
            Closure.objects.create(hub=hub, starts_on=starts_on, ends_on=ends_on, reason=reason)


@transaction.atomic
def merge_hubs(*, keep: Hub, remove: Hub, user, move_managers: bool = False) -> Hub:
    """One place recorded twice becomes one: `remove`'s people, fundings, services, hours, reports and history
    move to `keep`, its empty fields are filled from `remove`, and `remove`'s address redirects to `keep`.

    Who may edit `keep` changes only if the editor says so (`move_managers`): a manager could otherwise make
    their hub look like a duplicate of any other and be handed it.
    """
    if keep.pk == remove.pk:
        raise ValueError("a hub cannot be merged into itself")
    for field in FILLED_FROM_DUPLICATE:
        if getattr(keep, field) in (None, "") and getattr(remove, field) not in (None, ""):
            setattr(keep, field, getattr(remove, field))
    finess, remove.finess = remove.finess, None
    Hub.objects.filter(pk=remove.pk).update(finess=None)  # unique: free it before keep takes it
    keep.finess = keep.finess or finess
    already = set(keep.memberships.values_list("professional_id", flat=True))
    Membership.objects.filter(hub=remove).exclude(professional_id__in=already).update(hub=keep)
    # Fundings are declared by programmes, above this app: followed through the hubs' reverse relation only.
    funded = set(keep.fundings.values_list("programme_id", "year"))
    for funding in remove.fundings.all():
        if (funding.programme_id, funding.year) in funded:
            funding.delete()  # the same support recorded on both records
        else:
            remove.fundings.filter(pk=funding.pk).update(hub=keep)
    keep.services.add(*remove.services.all())
    keep.supporters.add(*remove.supporters.all())
    if move_managers:
        keep.managers.add(*remove.managers.all())
    if not keep.opening_hours.exists():
        OpeningHours.objects.filter(hub=remove).update(hub=keep)
    Closure.objects.filter(hub=remove).update(hub=keep)
    remove.corrections.update(hub=keep)
    Hub.history.filter(id=remove.pk).update(id=keep.pk)  # its history now tells the kept record's story
    remove.redirects.update(hub=keep)
    HubRedirect.objects.create(old_slug=remove.slug, hub=keep)
    remove.delete()
    save_hub(keep, expected_version=keep.version, user=user)
    keep.refresh_search_text()
    return keep
