"""Backups that restore: PostgreSQL + PostGIS through pg_dump's custom format, SpatiaLite through SQLite's online
backup API (a consistent copy while the site serves). Each backup is checked readable before older ones are
deleted; a restore goes only into an empty database, so that it never mixes two directories.

Why not django-dbbackup: its SQLite connector replays SQL text, which loses SpatiaLite's spatial metadata and
indexes; pg_dump and SQLite's backup API are the tools each database's own documentation gives for this.
"""

import datetime
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection

SUFFIX = {"postgresql": ".pgdump", "sqlite": ".sqlite3"}


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin")
    if not found:
        raise CommandError(f"{name} is missing: install PostgreSQL's client (postgresql-client).")
    return found


def _pg_env(settings_dict: dict) -> dict:
    env = {**os.environ, "PGDATABASE": settings_dict["NAME"], "PGUSER": settings_dict["USER"] or ""}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode:
        raise CommandError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def make_backup(directory: Path, *, keep: int) -> Path:
    """A dated backup of the default database in `directory`, checked, then only the `keep` newest kept."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")[
        :-3
    ]  # to the millisecond: names sort by date
    target = directory / f"portal-{stamp}{SUFFIX[connection.vendor]}"
    partial = target.with_name(target.name + ".partial")  # never mistaken for a backup if interrupted
    if connection.vendor == "postgresql":
        env = _pg_env(connection.settings_dict)
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
            env,
        )
        _run([_pg_tool("pg_restore"), "--list", str(partial)], env)
    else:
        connection.ensure_connection()
        with sqlite3.connect(partial) as copy:
            connection.connection.backup(copy)
            # The check reads CHECK constraints, some written with Django's REGEXP.
            copy.create_function(
                "REGEXP", 2, lambda pattern, value: bool(re.search(pattern, str(value or "")))
            )
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CommandError(f"The copy in {partial} is damaged; older backups are kept.")
        copy.close()
    partial.rename(target)
    for old in sorted(directory.glob(f"portal-*{target.suffix}"), reverse=True)[keep:]:
        old.unlink()
    return target


def is_empty(settings_dict: dict) -> bool:
    if settings_dict["ENGINE"].endswith("postgis"):
        done = subprocess.run(
            [_pg_tool("psql"), "-tAc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
             " AND tablename <> 'spatial_ref_sys'"],
            env=_pg_env(settings_dict), capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            raise CommandError(f"Cannot reach the database to restore into: {done.stderr.strip()}")
        return done.stdout.strip() == "0"
    path = Path(settings_dict["NAME"])
    if not path.exists():
        return True
    with sqlite3.connect(path) as db:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    db.close()
    return tables == 0


def restore_backup(backup: Path, settings_dict: dict) -> None:
    """Load `backup` into the (empty) database `settings_dict` describes, all or nothing."""
    if not backup.is_file():
        raise CommandError(f"No backup at {backup}.")
    postgres = settings_dict["ENGINE"].endswith("postgis")
    if backup.suffix != SUFFIX["postgresql" if postgres else "sqlite"]:
        raise CommandError(
            f"{backup.name} is not a backup of this kind of database ({settings_dict['ENGINE']})."
        )
    if not is_empty(settings_dict):
        raise CommandError(
            "The database to restore into is not empty: create an empty one (see deploy/README.md) and point "
            "DATABASE_URL (or --database-url) at it."
        )
    if postgres:
        args = [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        _run([*args, f"--dbname={settings_dict['NAME']}", str(backup)], _pg_env(settings_dict))
        return
    partial = Path(settings_dict["NAME"] + ".partial")
    with sqlite3.connect(backup) as source, sqlite3.connect(partial) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    partial.rename(settings_dict["NAME"])
