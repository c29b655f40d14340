"""A database that stops answering: a French 503 with Retry-After, for real (a PostgreSQL server stopped)."""

import os
import subprocess
import sys

from django.conf import settings

# Runs in a process of its own against a throwaway PostgreSQL (.ci/with-postgis), which it stops half-way.
SCRIPT = """
import os, subprocess
from django.conf import settings
from django.db import connection
# As in the other tests: static files from static/, no collectstatic manifest needed.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
from django.core.files.storage import storages  # an app may have read the storages already (post_office does)
storages.__dict__.pop("backends", None)
storages._backends, storages._storages = None, {}
from django.test import Client
browser = Client(raise_request_exception=False)
print("before", browser.get("/healthz", HTTP_HOST="127.0.0.1").status_code)
with connection.cursor() as cursor:
    cursor.execute("SHOW data_directory")
    datadir = cursor.fetchone()[0]
stop = ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", datadir, "stop", "-m", "immediate"]
subprocess.run((["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []) + stop, check=True, capture_output=True)
for path in ["/", "/hubs/?q=kine", "/en/districts/", "/healthz"]:
    answer = browser.get(path, HTTP_HOST="127.0.0.1")
    body = answer.content.decode()
    said = "fr" if "momentanément indisponible" in body else "en" if "temporarily unavailable" in body else "-"
    print(path, answer.status_code, answer.get("Retry-After"), said)
"""


def test_pages_answer_503_with_retry_after_when_postgresql_stops():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # Its own server, on a port of its own: make test runs this test in both halves at once.
        "PGPORT": str(55900 + os.getpid() % 2000),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [
            str(settings.BASE_DIR / ".ci" / "with-postgis"),
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            SCRIPT,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if not line.startswith("PostgreSQL")]
    assert lines == [
        "before 200",
        "/ 503 120 fr",
        "/hubs/?q=kine 503 120 fr",
        "/en/districts/ 503 120 en",
        "/healthz 503 None -",  # for load balancers: JSON, no page
    ], result.stdout + result.stderr
