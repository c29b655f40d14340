import os
import subprocess
import sys

from django.contrib.sessions.models import Session
from django.test import RequestFactory

from config.replicas import PrimaryForEditingMiddleware, ReplicaRouter
from hubs.models import Hub

router = ReplicaRouter()


def databases_used_by(method: str, path: str) -> dict[str, str]:
    """Which database the router picks for a hub and for a session while the request is handled."""
    seen = {}

    def view(request):
        seen.update(
            hub=router.db_for_read(Hub), session=router.db_for_read(Session), write=router.db_for_write(Hub)
        )

    PrimaryForEditingMiddleware(view)(getattr(RequestFactory(), method)(path))
    return seen


def test_public_pages_read_the_directory_from_the_replica_and_the_rest_from_the_primary():
    assert databases_used_by("get", "/hubs/") == {"hub": "replica", "session": "default", "write": "default"}
    assert databases_used_by("head", "/districts/rennes/")["hub"] == "replica"


def test_staff_and_forms_read_from_the_primary_what_they_just_wrote():
    assert databases_used_by("get", "/admin/hubs/hub/1/change/")["hub"] == "default"
    assert databases_used_by("post", "/hubs/centre/report/")["hub"] == "default"
    assert router.db_for_read(Hub) == "default"  # outside a request: commands, imports
    assert not router.allow_migrate("replica", "hubs")


def test_a_replica_url_switches_the_router_on():
    env = {**os.environ, "DATABASE_REPLICA_URL": "postgis://reader@replica.example/portal"}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['replica']['HOST'], settings.DATABASE_ROUTERS, settings.MIDDLEWARE[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == [
        "replica.example",
        "['config.replicas.ReplicaRouter']",
        "config.replicas.PrimaryForEditingMiddleware",
    ]
