from pathlib import Path

from django.core.management.base import CommandError

from config.imports import ImportCommand
from districts.imports import import_territories
from districts.models import Territory


class Command(ImportCommand):
    help = "Import territories (quartiers, communes…) from a GeoJSON FeatureCollection of polygons."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--level", required=True, choices=Territory.Level.values)
        parser.add_argument("--parent", help="slug of the parent territory")
        parser.add_argument("--name-field", required=True, help="feature property holding the name")
        parser.add_argument("--code-field", help="feature property holding a stable code (INSEE…)")
        parser.add_argument("--code-prefix", default="", help="prefix making codes unique, e.g. 35238-")
        parser.add_argument(
            "--only", action="append", default=[], metavar="CODE", help="import only this code"
        )

    def handle(self, *args, **options):
        parent = None
        if options["parent"]:
            parent = Territory.objects.filter(slug=options["parent"]).first()
            if parent is None:
                raise CommandError(f"no territory has the slug {options['parent']!r}")
        created, updated = self.run_import(
            import_territories,
            verbosity=options["verbosity"],
            path=options["file"],
            level=options["level"],
            parent=parent,
            name_field=options["name_field"],
            code_field=options["code_field"],
            code_prefix=options["code_prefix"],
            only_codes=options["only"],
        )
        self.stdout.write(self.style.SUCCESS(f"{created} territories created, {updated} updated."))
