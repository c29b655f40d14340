"""A backup of the directory, edits included, restores into an empty database with every row and the same pages."""

import difflib
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import Client

from hubs.models import CorrectionRequest, Hub
from tests.staff import BLOSNE

PAGES = ["/", "/hubs/?q=blosne", f"/hubs/{BLOSNE}/", "/districts/le-blosne/", "/programmes/", "/api/v1/hubs/"]


def pages() -> dict[str, str]:
    # Rendered from this database, not remembered by this process; the database's own cache table (the map
    # version in it) is part of what was backed up.
    for alias, cache in caches.settings.items():
        if "DatabaseCache" not in cache["BACKEND"]:
            caches[alias].clear()
    bodies = {path: Client().get(path).content.decode() for path in PAGES}
    return {path: re.sub(r'(nonce|value)="[^"]*"', "", body) for path, body in bodies.items()}  # per response


def row_counts(wrapper) -> dict[str, int]:
    with wrapper.cursor() as cursor:
        return {
            table: cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in sorted(connection.introspection.django_table_names(only_existing=True))
        }


def url_of(settings_dict) -> str:
    if connection.vendor == "postgresql":
        s = settings_dict
        return f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return f"spatialite:///{settings_dict['NAME']}"


@pytest.fixture
def empty_database(tmp_path):
    """Settings for an empty database of the suite's own kind, dropped afterwards."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "postgresql":
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    yield settings_dict
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_todays_edits_restores_every_row_and_the_same_pages(tmp_path, empty_database):
    call_command("load_demo", "--without-pharmacies", verbosity=0)
    Hub.objects.filter(slug=BLOSNE).update(phone="02 99 00 00 01")
    CorrectionRequest.objects.create(hub=Hub.objects.get(slug=BLOSNE), message="Fermé le samedi.")
    pages()  # what rendering stores in the database (the maps' version) is in the backup too
    for _ in range(3):
        call_command("backup", "--directory", tmp_path / "backups", "--keep", "2", verbosity=0)
    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 2 and not any(b.name.endswith(".partial") for b in backups)
    before_rows, before_pages = row_counts(connection), pages()

    call_command("restore", backups[-1], "--database-url", url_of(empty_database), verbosity=0)
    original = connections["default"]
    restored = load_backend(empty_database["ENGINE"]).DatabaseWrapper(empty_database, "default")
    connections["default"] = restored
    try:
        after_rows, after_pages = row_counts(restored), pages()
        assert Hub.objects.get(slug=BLOSNE).phone == "02 99 00 00 01"
    finally:
        restored.close()
        connections["default"] = original
    assert (
        after_rows == before_rows
        and before_rows["hubs_hub"] >= 8
        and before_rows["hubs_correctionrequest"] == 1
    )
    changed = {
        path: "\n".join(
            difflib.unified_diff(before_pages[path].splitlines(), after_pages[path].splitlines(), lineterm="")
        )
        for path in PAGES
        if after_pages[path] != before_pages[path]
    }

    assert changed == {}
    assert "02 99 00 00 01" in after_pages[f"/hubs/{BLOSNE}/"]

    with pytest.raises(CommandError, match="not empty"):  # a second restore would mix two directories
        call_command("restore", backups[-1], "--database-url", url_of(empty_database))


def test_a_restore_refuses_a_missing_file_or_a_backup_of_the_other_database(tmp_path):
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", tmp_path / "nothing.pgdump")
    other = tmp_path / ("portal-1.sqlite3" if connection.vendor == "postgresql" else "portal-1.pgdump")
    other.write_bytes(b"not this kind")
    with pytest.raises(CommandError, match="not a backup of this kind"):
        call_command("restore", other)
