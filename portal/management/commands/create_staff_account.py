import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hubs.models import Hub
from portal.services import create_staff_account


class Command(BaseCommand):
    help = "Create a staff account: a city editor, or the manager of one or more hubs."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", required=True, choices=["city-editor", "hub-manager"])
        parser.add_argument(
            "--hub", action="append", default=[], metavar="SLUG", help="a hub this manager edits"
        )
        parser.add_argument("--password", help="(for scripts) otherwise asked twice on the terminal")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of their mail (until they sign in, which sets it to the one they use)",
        )

    def handle(self, *args, **options):
        hubs = list(Hub.objects.filter(slug__in=options["hub"]))
        unknown = set(options["hub"]) - {h.slug for h in hubs}
        if unknown:
            raise CommandError(f"unknown hub(s): {', '.join(sorted(unknown))}")
        if options["role"] == "hub-manager" and not hubs:
            raise CommandError("a hub manager needs at least one --hub")
        User = get_user_model()
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"the account {options['username']!r} already exists")
        password = options["password"] or self.ask_password()
        try:
            user = create_staff_account(
                username=options["username"],
                email=options["email"],
                role=options["role"],
                hubs=hubs,
                password=password,
                language=options["language"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.username}: {options['role']}" + (f" of {len(hubs)} hub(s)" if hubs else "")
            )
        )

    def ask_password(self):
        first, second = getpass.getpass("Password: "), getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("the two passwords differ")
        return first
