import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command

from districts.models import DensityFigure, Territory
from hubs.models import Hub, OpeningHours
from professionals.models import Membership, Professional
from programmes.models import Funding, SupportProgramme

pytestmark = pytest.mark.django_db
MODELS = [Territory, DensityFigure, Hub, OpeningHours, Professional, Membership, SupportProgramme, Funding]


def snapshot():
    """Every value of every record, but when it was saved: the loader saves again what it finds unchanged."""
    return {
        m.__name__: serializers.serialize(
            "json",
            m.objects.order_by("pk"),
            fields=[f.name for f in m._meta.concrete_fields if f.name not in {"updated_at", "created_at"}],
        )
        for m in MODELS
    }


def test_loading_the_demo_twice_changes_nothing_the_second_time():
    before = snapshot()  # as the session's first load left it
    # Again without the pharmacies: a second pharmacy import is tests/hubs/test_imports.py's own test.
    call_command("load_demo", "--without-pharmacies", verbosity=0)
    after = snapshot()
    for name in before:
        before_rows, after_rows = json.loads(before[name]), json.loads(after[name])
        changed = [(b, a) for b, a in zip(before_rows, after_rows, strict=True) if a != b]
        assert not changed, f"{name}: {changed[:1]}"


def test_only_if_empty_leaves_an_edited_directory_alone():
    Hub.objects.filter(slug="espace-sante-olivier-sabouraud").update(phone="02 00 00 00 00")
    call_command("load_demo", "--only-if-empty", verbosity=0)
    assert Hub.objects.get(slug="espace-sante-olivier-sabouraud").phone == "02 00 00 00 00"


def test_the_demo_has_the_seeds_hubs_and_programmes():
    assert Hub.objects.count() >= 8
    assert Hub.objects.filter(kind=Hub.Kind.POLE_RESSOURCES_SANTE, city="Lille").count() == 5
    psla = SupportProgramme.objects.get(slug="psla-normandie")
    assert psla.max_amount == 250_000 and psla.total_budget == 15_000_000
    assert list(psla.funders.values_list("slug", flat=True).order_by("slug")) == [
        "feader",
        "region-normandie",
    ]
    rennes = SupportProgramme.objects.get(slug="ville-de-rennes-poles-sante")
    assert set(rennes.support_types.values_list("code", flat=True)) == {
        "PREMISES",
        "ENGINEERING",
        "NETWORKING",
    }
    assert rennes.max_amount is None and "pas d'appui financier direct" in rennes.eligibility
    lille = SupportProgramme.objects.get(slug="ville-de-lille-poles-ressources-sante")
    assert lille.total_budget == 80_000 and lille.starts_on.year == 2012
    # Invented values are flagged; the pharmacies are real open data (OpenStreetMap via the MEL).
    assert not Hub.objects.exclude(kind=Hub.Kind.PHARMACY).filter(is_demo=False).exists()
    pharmacies = Hub.objects.filter(kind=Hub.Kind.PHARMACY, city="Lille")
    assert pharmacies.count() > 50 and not pharmacies.filter(is_demo=True).exists()
    assert pharmacies.first().source.startswith("Métropole Européenne de Lille, pharmacies (OpenStreetMap")


def test_the_pharmacy_layer_of_the_search_is_not_empty(client):
    page = client.get("/hubs/", {"kind": "PHARMACY", "territory": "lille"})
    assert page.status_code == 200 and page.context["page"].paginator.count > 50


def run_manage(*args, env):
    env = {k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_settings_pass_check_deploy_except_the_documented_gdal_warning():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "sante.example.org",
        "PUBLISHER_NAME": "Ville de Test",
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("?:") or ".W0" in line]
    assert all("gis.W001" in line for line in warnings), result.stderr
    unnamed = run_manage("check", "--deploy", env={**env, "PUBLISHER_NAME": ""})
    assert "portal.W001" in unnamed.stderr and "The legal notice names no publisher." in unnamed.stderr


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.embedded
def test_the_embedded_spatialite_path_migrates_loads_and_serves(tmp_path):
    """What `make run` does, on a fresh SpatiaLite file, whatever database the suite runs on."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"spatialite:///{tmp_path / 'fresh.sqlite3'}"}
    assert run_manage("migrate", "--no-input", "-v", "0", env=env).returncode == 0
    loaded = run_manage("load_demo", "-v", "1", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert int(re.search(r"(\d+) hubs", loaded.stdout)[1]) == 8 + 349  # the demo's and the Lille pharmacies
    served = run_manage(
        "shell", "-c",
        "from django.test import Client; r = Client().get('/', HTTP_HOST='127.0.0.1'); "
        "print(r.status_code, 'Le Blosne' in r.content.decode())",
        env=env,
    )  # fmt: skip
    assert served.stdout.strip().endswith("200 True"), served.stderr


def test_the_deploy_environment_template_lists_every_setting_the_portal_reads():
    read = re.compile(r'(?:os\.environ(?:\.get)?[\(\[]|env_bool\(|env_list\()\s*"([A-Z_0-9]+)"')
    sources = [
        settings.BASE_DIR / "config" / "settings.py",
        settings.BASE_DIR / "deploy" / "gunicorn.conf.py",
    ]
    names = {name for source in sources for name in read.findall(source.read_text())}
    template = (settings.BASE_DIR / "deploy" / "env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_0-9]+)=", template, re.MULTILINE))
    assert len(names) > 50 and names - listed == set()
