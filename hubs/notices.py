"""What staff (and a resident who asked) are told by mail, through config/mail.py's queue.

- A resident's report: the hub's managers at once; city editors at once only when the hub has no manager (they
  see every open report in their weekly digest).
- A report handled or set aside: the resident, once, if they left an address and asked.
- Freshness: REMIND_MANAGERS_AFTER_DAYS after a hub's last check, its managers get a reminder with a signed link
  "rien n'a changé"; past REMIND_EDITORS_AFTER_DAYS the hub is in the editors' digest.
- A weekly digest to city editors, not sent when it would be empty.
Every mail carries a `once` key, so a second run (or two at once) sends nothing twice.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import addresses_by_language
from config.mail import admin_url, queue, site_url
from config.roles import CITY_EDITORS
from hubs.models import CorrectionRequest, Hub, RegistryRefresh, RegistrySuggestion

CONFIRM_SALT = "hubs.confirm-unchanged"
CONFIRM_LINK_DAYS = 30


def editors():
    return get_user_model().objects.filter(is_staff=True, groups__name=CITY_EDITORS)


def to_staff(users, *, template: str, context: dict, once: str) -> bool:
    """One mail per language the recipients read, each in its language; False when nobody was mailed."""
    queued = [
        queue(to=addresses, template=template, context=context, language=language,
              once=once if language == settings.LANGUAGE_CODE else f"{once}:{language}")
        for language, addresses in addresses_by_language(users).items()
    ]  # fmt: skip
    return any(queued)


def new_report(report: CorrectionRequest) -> bool:
    managers = report.hub.managers.all()
    context = {
        "report": report,
        "hub": report.hub,
        "url": admin_url("hubs_correctionrequest_change", report.pk),
    }
    to = managers if addresses_by_language(managers) else editors()
    return to_staff(to, template="new_report", context=context, once=f"report:{report.pk}:new")


def report_closed(report: CorrectionRequest) -> bool:
    """One mail to the resident who asked, when the report is handled or set aside; nothing else, ever."""
    if not (report.notify and "@" in report.contact and report.status in CorrectionRequest.Status.closed()):
        return False
    context = {"report": report, "hub": report.hub, "url": site_url(report.hub.get_absolute_url())}
    return queue(
        to=[report.contact], template="report_closed", context=context, language=report.language,
        once=f"report:{report.pk}:closed",
    )  # fmt: skip


def confirmation_token(hub: Hub) -> str:
    return signing.dumps({"hub": hub.pk, "checked": str(hub.last_checked_on)}, salt=CONFIRM_SALT)


def hub_of_token(token: str) -> Hub:
    """The hub a reminder's link is for; BadSignature (forged, or expired after CONFIRM_LINK_DAYS) otherwise."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=datetime.timedelta(days=CONFIRM_LINK_DAYS))
    return Hub.objects.get(pk=data["hub"], published=True)


def freshness_reminders(today: datetime.date) -> int:
    """Managers of hubs nobody checked for REMIND_MANAGERS_AFTER_DAYS: one reminder per hub and check."""
    limit = today - datetime.timedelta(days=settings.REMIND_MANAGERS_AFTER_DAYS)
    due = Hub.objects.published().filter(managers__isnull=False).distinct().checked_before(limit)
    sent = 0
    for hub in due.prefetch_related("managers").order_by("pk").iterator(chunk_size=200):
        token = confirmation_token(hub)
        context = {
            "hub": hub,
            "checked_on": hub.last_checked_on,
            "confirm_url": site_url(reverse("hubs:confirm", args=[hub.slug, token])),
            "edit_url": admin_url("hubs_hub_change", hub.pk),
        }
        key = f"fresh:{hub.pk}:{hub.last_checked_on or 'never'}"
        sent += to_staff(hub.managers.all(), template="freshness_reminder", context=context, once=key)
    return sent


def digest(today: datetime.date) -> bool:
    """The week's to-do for city editors; nothing sent when there is nothing to do."""
    from hubs.duplicates import candidate_pairs  # a self-join on hubs: weekly, not on import

    week_ago = timezone.now() - datetime.timedelta(days=7)
    stale_limit = today - datetime.timedelta(days=settings.REMIND_EDITORS_AFTER_DAYS)
    open_reports = CorrectionRequest.objects.exclude(status__in=CorrectionRequest.Status.closed())
    sections = [
        (_("signalements d'habitants ouverts"), open_reports.count(), admin_url("hubs_correctionrequest_changelist", query="status__exact=NEW")),
        (format_lazy(_("lieux sans vérification depuis {days} jours"), days=settings.REMIND_EDITORS_AFTER_DAYS),
         Hub.objects.published().checked_before(stale_limit).count(), admin_url("hubs_hub_changelist", query="verification=stale")),
        (_("suggestions des registres en attente"), RegistrySuggestion.objects.filter(status=RegistrySuggestion.Status.PENDING).count(),
         admin_url("hubs_registrysuggestion_changelist", query="status__exact=PENDING")),
        (_("lieux fermés par le registre FINESS cette semaine"),
         Hub.objects.filter(status=Hub.Status.CLOSED, provenance__status__by="FINESS", updated_at__gte=week_ago).count(),
         admin_url("hubs_hub_changelist", query="status__exact=CLOSED")),
        (_("lieux peut-être en double"), len(candidate_pairs()), admin_url("hubs_hub_duplicates")),
        (_("mises à jour des registres réussies cette semaine"),
         RegistryRefresh.objects.filter(finished_at__gte=week_ago, succeeded=True).count(),
         admin_url("hubs_registryrefresh_changelist", query="succeeded__exact=1")),
        (_("mises à jour des registres en échec cette semaine (rien n'a été changé)"),
         RegistryRefresh.objects.filter(finished_at__gte=week_ago, succeeded=False).count(),
         admin_url("hubs_registryrefresh_changelist", query="succeeded__exact=0")),
    ]  # fmt: skip
    # Labels stay lazy: each editor's mail renders them in the language they read.
    rows = [{"label": label, "count": count, "url": url} for label, count, url in sections if count]
    if not rows:
        return False
    year, week, _day = today.isocalendar()
    # One mail each (an editor does not see the others' addresses); all are queued before any() looks.
    queued = [
        queue(
            to=[to],
            template="digest",
            context={"rows": rows},
            language=language,
            once=f"digest:{year}-{week}:{to}",
        )
        for language, addresses in addresses_by_language(editors()).items()
        for to in addresses
    ]
    return any(queued)
