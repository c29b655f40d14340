"""The admin home's work list: a hub manager's hubs and what they lack; for a city editor, the city's queues."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.roles import is_city_editor
from hubs.duplicates import candidate_pairs
from hubs.models import CorrectionRequest, Hub, OpeningHours, RegistrySuggestion
from professionals.models import Membership

MANAGER_HUBS_SHOWN = 20
DUPLICATES_KEY, DUPLICATES_SECONDS = "worklist:duplicates", 3600


def duplicate_count() -> int:
    # A self-join on every hub: counted at most hourly, for all editors at once (the shared cache).
    return cache.get_or_set(DUPLICATES_KEY, lambda: len(candidate_pairs()), DUPLICATES_SECONDS)


def worklist_for(user) -> dict:
    editor = is_city_editor(user)
    hubs = Hub.objects.all() if editor else Hub.objects.filter(managers=user)
    reports = CorrectionRequest.objects.exclude(status__in=CorrectionRequest.Status.closed()).filter(
        hub__in=hubs
    )
    stale_since = timezone.localdate() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    queues = [
        (_("signalements d'habitants à traiter"), reports.count(), reverse("admin:hubs_correctionrequest_changelist") + "?status__exact=NEW"),
        (_("lieux à vérifier (plus de %(days)d jours)") % {"days": settings.STALE_AFTER_DAYS},
         hubs.published().checked_before(stale_since).count(), reverse("admin:hubs_hub_changelist") + "?verification=stale"),
    ]  # fmt: skip
    if editor:
        queues += [
            (_("suggestions des registres en attente"), RegistrySuggestion.objects.filter(status=RegistrySuggestion.Status.PENDING).count(),
             reverse("admin:hubs_registrysuggestion_changelist") + "?status__exact=PENDING"),
            (_("lieux créés par un registre, à relire"), Hub.objects.awaiting_review().count(),
             reverse("admin:hubs_hub_changelist") + "?verification=review"),
            (_("lieux peut-être en double"), duplicate_count(), reverse("admin:hubs_hub_duplicates")),
        ]  # fmt: skip
    context = {"queues": [{"label": label, "count": n, "url": url} for label, n, url in queues], "hubs": []}
    if not editor:
        context["hubs"] = [
            {
                "hub": hub,
                "missing": [
                    label
                    for flag, label in [
                        (not hub.has_hours, _("horaires")),
                        (not hub.phone, _("téléphone")),
                        (not hub.has_people, _("professionnels")),
                    ]
                    if flag
                ],
            }  # fmt: skip
            for hub in hubs.annotate(
                has_hours=Exists(OpeningHours.objects.filter(hub=OuterRef("pk"))),
                has_people=Exists(Membership.objects.filter(hub=OuterRef("pk"))),
            ).order_by("name", "pk")[:MANAGER_HUBS_SHOWN]
        ]
    return context
