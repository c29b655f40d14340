import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.http import forget_expired_counters
from hubs.models import CorrectionRequest


class Command(BaseCommand):
    help = (
        f"Delete residents' error reports older than {settings.CORRECTION_RETENTION_DAYS} days "
        "(CORRECTION_RETENTION_DAYS), as the personal data page promises, and expired rate-limit counters. "
        "Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say how many, delete nothing")

    def handle(self, *args, **options):
        limit = timezone.now() - datetime.timedelta(days=settings.CORRECTION_RETENTION_DAYS)
        old = CorrectionRequest.objects.filter(created_at__lt=limit)
        if options["dry_run"]:
            self.stdout.write(f"{old.count()} reports received before {limit:%Y-%m-%d} would be deleted.")
            return
        deleted, _ = old.delete()
        self.stdout.write(f"{deleted} reports received before {limit:%Y-%m-%d} deleted.")
        self.stdout.write(f"{forget_expired_counters()} expired rate-limit counters deleted.")
