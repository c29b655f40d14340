from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand
from django.db import connection

from portal.backups import restore_backup


class Command(BaseCommand):
    help = "Restore a backup (manage.py backup) into an empty database: DATABASE_URL's, or --database-url."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument("--database-url", help="the empty database to fill (default: DATABASE_URL)")

    def handle(self, *args, backup, database_url, **options):
        target = dj_database_url.parse(database_url) if database_url else connection.settings_dict
        restore_backup(backup, target)
        self.stdout.write(f"{backup} restored into {target['NAME']}")
