from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.backups import make_backup


class Command(BaseCommand):
    help = "Back up the database to a dated file (pg_dump custom format, or a SpatiaLite copy), keeping the newest."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=settings.BACKUP_DIR)
        parser.add_argument(
            "--keep", type=int, default=settings.BACKUP_KEEP, help="backups kept (the newest)"
        )

    def handle(self, *args, directory, keep, **options):
        backup = make_backup(directory, keep=keep)
        self.stdout.write(f"{backup} ({backup.stat().st_size / 1e6:.1f} MB), {keep} newest kept")
