from django.core.management.base import BaseCommand
from django.utils import timezone

from opendata.exports import write_all


class Command(BaseCommand):
    help = "Write today's whole-file open data (CSV and GeoJSON, gzip) in EXPORTS_DIR; run daily by run_scheduled."

    def handle(self, *args, **options):
        for line in write_all(timezone.localdate()):
            self.stdout.write(line)
