"""The monthly registry refresh (deploy/systemd/health-hub-registries.timer): FINESS and RPPS from their stable
links, for REGISTRY_DEPARTMENTS. Each outcome, success or refusal, is kept for the city editors' digest; a
failed download or import leaves the directory and the last good file as they were."""

import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from hubs.models import RegistryRefresh


class Command(BaseCommand):
    help = "Download and import FINESS and RPPS (REGISTRY_FINESS_URL, REGISTRY_RPPS_URL) for REGISTRY_DEPARTMENTS."

    def handle(self, *args, **options):
        runs = [
            ("FINESS", settings.REGISTRY_FINESS_URL,
             ["import_finess", "--stock", *[f"--departement={d}" for d in settings.REGISTRY_DEPARTMENTS]]),
            ("RPPS", settings.REGISTRY_RPPS_URL, ["import_rpps"]),
        ]  # fmt: skip
        failed = 0
        for registry, url, command in runs:
            if not url:
                self.stdout.write(f"{registry}: no link set (REGISTRY_{registry}_URL), skipped")
                continue
            out = io.StringIO()
            try:
                call_command(*command[:1], url, *command[1:], stdout=out, verbosity=1)
                succeeded, summary = True, out.getvalue().strip().splitlines()[-2:]
            except CommandError as exc:
                failed += 1
                succeeded, summary = False, [str(exc)]
            RegistryRefresh.objects.create(registry=registry, succeeded=succeeded, summary="\n".join(summary))
            self.stdout.write(f"{registry}: {'done' if succeeded else 'FAILED'}: {' '.join(summary)}")
        if failed:
            raise CommandError(f"{failed} registry refresh(es) failed; the city editors' digest says which.")
