"""The one entry point for timed work: run it every minute or so (cron or a systemd timer, see the README).

Each job runs when it is due: mail at every call, the daily work at the first call a day after its last run (a
missed day catches up; a fresh database runs it at once), the digest weekly. Two calls at once are safe: a job
is claimed by one conditional UPDATE of its row (a lease), so only one of them runs it.
"""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Max, Q
from django.utils import timezone
from post_office.mail import send_queued
from post_office.models import Email

from access.compute import compute_access
from districts.models import TerritoryAccess
from hubs import notices
from hubs.models import Hub
from portal.models import ScheduledJob
from professionals.models import Membership, Professional

LEASE = datetime.timedelta(minutes=30)  # a run that dies frees its jobs after this


def send_mail_queue(today) -> str:
    sent, failed, requeued = send_queued()
    return f"{sent} sent, {failed} failed, {requeued} to retry"


def purge(today) -> str:
    call_command("purge_corrections", verbosity=0)
    old = timezone.now() - datetime.timedelta(days=settings.MAIL_LOG_DAYS)
    deleted, _ = Email.objects.filter(created__lt=old).delete()
    return f"old reports and counters purged, {deleted} mail log entries deleted"


def reminders(today) -> str:
    return f"{notices.freshness_reminders(today)} freshness reminders queued"


def open_data_files(today) -> str:
    out = io.StringIO()
    call_command("export_open_data", stdout=out)
    return "open-data files written: " + "; ".join(out.getvalue().split("\n")).strip("; ")


def access_figures(today) -> str:
    """Debounced recomputation of the access figures: at most every ten minutes, and only when a hub, a
    professional or a membership changed since the last one (their history tables say when)."""
    last = TerritoryAccess.objects.aggregate(last=Max("computed_at"))["last"]
    if last is None:
        return "no population grid imported: nothing to compute"
    changed = (
        Hub.history.filter(history_date__gt=last).exists()
        or Professional.history.filter(history_date__gt=last).exists()
        or Membership.history.filter(history_date__gt=last).exists()
    )
    if not changed:
        return "no hub, professional or membership changed since the last computation"
    counts = compute_access()
    return f"{counts['cells']} cells and {counts['territories']} territories recomputed"


def weekly_digest(today) -> str:
    return "digest queued" if notices.digest(today) else "nothing to report: no digest"


JOBS = [
    ("mail", datetime.timedelta(0), send_mail_queue),
    ("purge", datetime.timedelta(days=1), purge),
    ("reminders", datetime.timedelta(days=1), reminders),
    ("exports", datetime.timedelta(days=1), open_data_files),
    ("digest", datetime.timedelta(days=7), weekly_digest),
    ("access", datetime.timedelta(minutes=10), access_figures),
]


def claim(name: str, every: datetime.timedelta, now: datetime.datetime) -> bool:
    ScheduledJob.objects.get_or_create(name=name)
    free = Q(running_until__isnull=True) | Q(running_until__lt=now)
    due = Q(last_done__isnull=True) | Q(last_done__lte=now - every)
    return bool(ScheduledJob.objects.filter(free & due, name=name).update(running_until=now + LEASE))


class Command(BaseCommand):
    help = "Run the timed work that is due: mail queue, reminders, digest, purges. Safe every minute, and twice at once."

    def handle(self, *args, **options):
        for name, every, job in JOBS:
            now = timezone.now()
            if not claim(name, every, now):
                continue
            try:
                outcome = job(timezone.localdate())
            finally:
                ScheduledJob.objects.filter(name=name).update(running_until=None)
            ScheduledJob.objects.filter(name=name).update(last_done=now)
            self.stdout.write(f"{name}: {outcome}")
