"""Whole-file open data: every published record in one dated gzip file per format, listed and described."""

import csv
import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hubs.models import Hub
from professionals.models import Professional
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db


def read(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read()


def test_the_files_hold_every_published_record_and_only_those(settings, django_assert_max_num_queries):
    hidden = HubFactory(name="Pôle pas encore publié", published=False)
    with django_assert_max_num_queries(60):  # by batches of 500: the count grows with batches, not records
        call_command("export_open_data", verbosity=0)
    today = timezone.localdate()
    hubs_csv = settings.EXPORTS_DIR / f"lieux-de-sante-{today:%Y-%m-%d}.csv.gz"
    rows = list(csv.DictReader(io.StringIO(read(hubs_csv).lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == Hub.objects.published().count() > 300  # the demo's centres and Lille's pharmacies
    assert hidden.name not in read(hubs_csv)
    features = json.loads(read(settings.EXPORTS_DIR / f"lieux-de-sante-{today:%Y-%m-%d}.geojson.gz"))[
        "features"
    ]
    assert len(features) == len(rows) and features[0]["geometry"]["type"] == "Point"
    professionals = read(settings.EXPORTS_DIR / f"professionnels-{today:%Y-%m-%d}.csv.gz")
    assert len(professionals.strip().splitlines()) == Professional.objects.public().count() + 1
    assert "retraite" not in professionals.splitlines()[0]  # never the retirement year
    territories = json.loads(
        read(settings.EXPORTS_DIR / f"territoires-et-densites-{today:%Y-%m-%d}.geojson.gz")
    )
    assert any(f["geometry"] and f["properties"]["name"] == "Le Blosne" for f in territories["features"])
    assert sorted(p.name.split(f"-{today:%Y}")[0] for p in settings.EXPORTS_DIR.iterdir()) == [
        "lieux-de-sante", "lieux-de-sante", "professionnels", "programmes-de-soutien",
        "territoires-et-densites", "territoires-et-densites",
    ]  # fmt: skip


def test_the_open_data_page_and_the_catalogue_list_the_newest_files_with_size_and_date(client, settings):
    assert "aucun n'a encore été écrit" in client.get(reverse("open_data")).content.decode()
    settings.EXPORTS_DIR.mkdir()
    (settings.EXPORTS_DIR / "lieux-de-sante-2026-11-01.csv.gz").write_bytes(gzip.compress(b"old"))
    call_command("export_open_data", verbosity=0)
    today = timezone.localdate()
    name = f"lieux-de-sante-{today:%Y-%m-%d}.csv.gz"
    page = client.get(reverse("open_data")).content.decode()
    assert f'href="/exports/{name}"' in page and "lieux-de-sante-2026-11-01" not in page
    catalogue = client.get(reverse("open_data_dcat")).json()
    (hubs,) = [d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "lieux-de-sante"]
    (csv_file,) = [
        x for x in hubs["dcat:distribution"] if x.get("dcat:downloadURL", {}).get("@id", "").endswith(name)
    ]
    assert csv_file["dcat:byteSize"] == (settings.EXPORTS_DIR / name).stat().st_size
    assert csv_file["dct:modified"] == today.isoformat()

    download = client.get(f"/exports/{name}")
    assert download.status_code == 200 and gzip.decompress(b"".join(download.streaming_content)).startswith(
        "\ufeff".encode()
    )
    assert client.get("/exports/..%2Fsettings.py").status_code == 404
    assert client.get("/exports/lieux-de-sante-2020-01-01.csv.gz").status_code == 404


def test_only_the_newest_files_are_kept(settings):
    settings.EXPORTS_KEEP = 2
    settings.EXPORTS_DIR.mkdir()
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        (settings.EXPORTS_DIR / f"programmes-de-soutien-{day}.csv.gz").write_bytes(b"")
    call_command("export_open_data", verbosity=0)
    kept = sorted(p.name for p in settings.EXPORTS_DIR.glob("programmes-de-soutien-*"))
    assert kept == [
        "programmes-de-soutien-2026-01-03.csv.gz",
        f"programmes-de-soutien-{timezone.localdate():%Y-%m-%d}.csv.gz",
    ]
