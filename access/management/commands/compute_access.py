from django.core.management.base import BaseCommand, CommandError

from access.compute import compute_access
from districts.models import Territory


class Command(BaseCommand):
    help = (
        "Compute access to GPs on the population grid: per cell the straight-line distance to the nearest GP "
        "hub (and to one accepting new patients) and the 2SFCA score; then the figures of the covered territories."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", help="only the cells of this territory (slug), e.g. a department")

    def handle(self, *args, **options):
        territory = None
        if options["territory"]:
            territory = Territory.objects.filter(slug=options["territory"], boundary__isnull=False).first()
            if territory is None:
                raise CommandError(f"No territory with a boundary has the slug {options['territory']!r}.")
        counts = compute_access(territory=territory)
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['cells']} cells computed from {counts['hubs']} hubs with a GP; "
                f"{counts['territories']} territories' figures updated."
            )
        )
