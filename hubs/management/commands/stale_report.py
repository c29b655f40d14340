from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand

from hubs.models import Hub


class Command(BaseCommand):
    help = f"Hubs not verified for {settings.STALE_AFTER_DAYS} days (or never), per territory and editor."

    def handle(self, *args, **options):
        hubs = (
            Hub.objects.stale()
            .select_related("territory")
            .prefetch_related("managers")
            .order_by("name", "pk")
        )
        groups = defaultdict(list)
        for hub in hubs:
            territory = hub.territory.name if hub.territory else "(sans territoire)"
            editors = (
                ", ".join(sorted(m.get_username() for m in hub.managers.all())) or "(éditeurs de la ville)"
            )
            groups[(territory, editors)].append(hub)
        if not groups:
            self.stdout.write(f"Every hub was verified within the last {settings.STALE_AFTER_DAYS} days.")
            return
        for (territory, editors), items in sorted(groups.items()):
            self.stdout.write(f"{territory} — {editors}: {len(items)}")
            for hub in items:
                verified = hub.last_verified_on.isoformat() if hub.last_verified_on else "never verified"
                self.stdout.write(f"  {hub.name} ({verified})")
        self.stdout.write(f"{hubs.count()} hubs to verify.")
