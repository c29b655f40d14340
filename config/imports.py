"""What every import shares: the problem it reports, a progress line, and the command around it."""

import csv
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    pass


class ImportProblem(Exception):
    """Bad input, described so a person can find and fix it (file, row or feature, field)."""


def progress_line(command, verbosity: int):
    if not verbosity:
        return lambda _message: None

    def write(message: str) -> None:
        if message == "\n":
            command.stdout.write("")
        else:
            command.stdout.write(f"\r{message}", ending="")
            command.stdout.flush()

    return write


def open_csv(path: Path):
    try:
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (the caller closes it)
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc})") from exc


def require_columns(path, fieldnames, required):
    missing = [c for c in required if c not in (fieldnames or [])]
    if missing:
        raise ImportProblem(f"{path}: column(s) {', '.join(missing)} missing from the header")


class ImportCommand(BaseCommand):
    """An import command: the importer runs in one transaction, so a problem means nothing was written."""

    def run_import(self, importer, *, verbosity: int, **arguments):
        try:
            return importer(progress=progress_line(self, verbosity), **arguments)
        except (ImportProblem, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc

    def say_outcome(self, *, changes: int, dry_run: bool) -> None:
        """A registry import's last line: a run that changes nothing says so; a dry run says nothing was written."""
        if not changes:
            self.stdout.write(
                self.style.SUCCESS("Nothing changed: the directory already matches this extraction.")
            )
        elif dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
