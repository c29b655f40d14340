"""The restore drill on the bench's national directory (make bench): a backup, then a restore into a new empty
database, timed, with every table's rows counted on both sides. PostgreSQL only, as in production."""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import load_backend

from portal.backups import make_backup, restore_backup


def row_counts(wrapper) -> dict[str, int]:
    with wrapper.cursor() as cursor:
        return {
            table: cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in connection.introspection.django_table_names(only_existing=True)
        }


class Command(BaseCommand):
    help = "Time a backup and its restore into an empty database, and check that every row came back."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The drill runs on PostgreSQL (make bench).")
        target = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_drill"}
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{target["NAME"]}"')
        restored = load_backend(target["ENGINE"]).DatabaseWrapper(target, "drill")
        try:
            with tempfile.TemporaryDirectory() as directory:
                started = time.perf_counter()
                backup = make_backup(Path(directory), keep=1)
                backed_up = time.perf_counter() - started
                started = time.perf_counter()
                restore_backup(backup, target)
                restore_seconds = time.perf_counter() - started
                size = backup.stat().st_size
            before, after = row_counts(connection), row_counts(restored)
        finally:
            restored.close()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
        differ = [table for table in before if before[table] != after.get(table)]
        self.stdout.write("| step | seconds | detail |\n|---|---:|---|")
        self.stdout.write(f"| backup (pg_dump, custom format) | {backed_up:.1f} | {size / 1e6:.0f} MB |")
        self.stdout.write(
            f"| restore into an empty database | {restore_seconds:.1f} | {sum(after.values()):,} rows in "
            f"{len(after)} tables, {'all equal' if not differ else 'DIFFERENT: ' + ', '.join(differ)} |"
        )
        if differ:
            raise CommandError("The restored database differs.")
