"""Hubs in and out of spreadsheets and open data: CSV import/export, OpenStreetMap pharmacies and hours."""

import io
import json
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from hubs.models import Hub
from hubs.pharmacies import OpeningHoursSyntaxError, parse_opening_hours
from hubs.resources import HubResource
from tests.staff import BLOSNE, logged_in

pytestmark = pytest.mark.django_db
DATA = Path(settings.BASE_DIR) / "fixtures" / "data"


HEADER = "slug;name;kind;status;street;postcode;city;lat;lng;territory;phone;email;website;services;tiers_payant;accepting_new_patients;accepting_as_of;wheelchair_access;languages;published;finess;version"


def dataset(*rows):
    text = "\n".join([HEADER, *rows])
    data = tablib.Dataset()
    data.load(text, format="csv", delimiter=";")
    return data


GOOD_ROW = "msp-test-import;MSP Test Import;MSP;OPEN;2 rue Test;35000;Rennes;48.1215;-1.7094;;02 00 00 00 00;;;medecine-generale|sage-femme;1;YES;;YES;français;1;;"


def test_import_dry_run_reports_row_errors_and_writes_nothing():
    before = Hub.objects.count()
    result = HubResource().import_data(
        dataset(GOOD_ROW, "msp-sans-position;Sans position;MSP;OPEN;;;Rennes;;;;;;;;0;UNKNOWN;;UNKNOWN;;1;"),
        dry_run=True,
    )
    assert result.has_errors() or result.has_validation_errors()
    messages = " ".join(str(e.error) for row in result.row_errors() for e in row[1])
    assert "Coordonnées manquantes" in messages
    assert Hub.objects.count() == before


def test_an_import_with_any_bad_row_writes_nothing_and_a_good_one_updates_by_slug():
    before = Hub.objects.count()
    HubResource().import_data(
        dataset(GOOD_ROW, GOOD_ROW.replace("msp-test-import", "x").replace("48.1215", "999"))
    )
    assert Hub.objects.count() == before
    result = HubResource().import_data(dataset(GOOD_ROW))
    assert not result.has_errors() and not result.has_validation_errors()
    imported = Hub.objects.get(slug="msp-test-import")
    assert imported.territory.slug == "villejean-beauregard"
    assert set(imported.services.values_list("slug", flat=True)) == {"medecine-generale", "sage-femme"}
    # An update must say which version it was exported at: without it, or with an old one, nothing changes.
    moved = GOOD_ROW.replace("2 rue Test", "4 rue Test")
    refused = HubResource().import_data(dataset(moved))
    assert refused.has_errors() and "ne dit pas de quelle version" in str(refused.row_errors()[0][1][0].error)
    assert Hub.objects.get(slug="msp-test-import").street == "2 rue Test"
    assert not HubResource().import_data(dataset(moved.removesuffix(";") + ";1")).has_errors()
    updated = Hub.objects.get(slug="msp-test-import")
    assert Hub.objects.filter(name="MSP Test Import").count() == 1
    assert updated.street == "4 rue Test" and updated.version == 2
    stale = HubResource().import_data(
        dataset(moved.replace("4 rue Test", "6 rue Test").removesuffix(";") + ";1")
    )
    assert stale.has_errors() and Hub.objects.get(slug="msp-test-import").street == "4 rue Test"


def test_the_admin_import_page_previews_before_confirming(client, editor):
    client = logged_in(client, editor)
    upload = io.BytesIO(("\ufeff" + HEADER + "\n" + GOOD_ROW + "\n").encode())
    upload.name = "lieux.csv"
    response = client.post(
        reverse("admin:hubs_hub_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert response.status_code == 200
    assert (
        "MSP Test Import" in response.content.decode()
        and not Hub.objects.filter(slug="msp-test-import").exists()
    )


def test_export_gives_every_hub_with_coordinates(client, editor):
    rows = HubResource().export(queryset=Hub.objects.filter(slug=BLOSNE))
    assert rows.dict[0]["lat"] == 48.0846 and rows.dict[0]["lng"] == -1.6593


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30", {0: 2, 4: 2, 5: 1}),
        ("Mo-Fr 09:00-12:30,14:00-19:30, Sa 09:00-12:30", {0: 2, 5: 1}),
        ("Mo-Sa 08:30-13:00, 14:00-19:30; Sa 09:00-13:00", {0: 2, 5: 1}),  # ';' replaces Saturday
        ("Mo 09:30-12:30, Tu-Sa 09:00-12:30, Mo-Fr 14:00-19:30, Sa 14:30-18:30", {0: 2, 1: 2, 5: 2}),
        ("Mo-Su 08:30-20:00; PH off", {6: 1}),
        ("24/7", {0: 1, 6: 1}),
        ("Mo-Fr 09:00-12:30,14:00-19:30; Su off", {6: 0}),
    ],
)
def test_osm_opening_hours(text, expected):
    week = parse_opening_hours(text)
    for day, count in expected.items():
        assert len(week.get(day, [])) == count, (text, day, week.get(day))


@pytest.mark.parametrize("text", ["sunrise-sunset", "Mo-Fr 9h-12h", "Xx 09:00-10:00", "Mo 12:00-09:00"])
def test_unreadable_opening_hours_raise(text):
    with pytest.raises(OpeningHoursSyntaxError):
        parse_opening_hours(text)


def test_import_pharmacies_on_the_real_file(client):
    # The session's demo imported this file once already: this run is the second, which must add nothing,
    # not even a version in the history.
    versions = Hub.history.count()
    call_command("import_pharmacies", DATA / "lille_mel_pharmacies.json", verbosity=0)
    assert Hub.history.count() == versions
    pharmacies = Hub.objects.filter(kind=Hub.Kind.PHARMACY)
    assert pharmacies.count() == 349  # 351 records, two share a FINESS number
    flamande = pharmacies.get(finess="590021051")
    assert flamande.name == "Pharmacie Flamande" and flamande.opening_hours.filter(weekday=5).exists()
    assert pharmacies.filter(wheelchair_access="YES").count() > 40
    assert pharmacies.filter(territory__slug="wazemmes").exists()
    near = client.get("/hubs/", {"lat": "50.6246", "lng": "3.0499", "radius_km": "1", "kind": "PHARMACY"})
    assert near.context["page"].paginator.count > 3
    geojson = json.loads(client.get("/hubs/map.geojson", {"kind": "PHARMACY"}).content)
    assert len(geojson["features"]) == 349


def test_a_broken_pharmacy_file_writes_nothing(tmp_path):
    path = tmp_path / "pharmacies.json"
    path.write_text(
        json.dumps(
            [
                {"fields": {"osm_id": "node/1", "name": "A"}, "geometry": {"coordinates": [3.0, 50.6]}},
                {"fields": {"osm_id": "node/2"}},
            ]
        )
    )
    pharmacies = Hub.objects.filter(kind=Hub.Kind.PHARMACY).count()
    with pytest.raises(CommandError, match=r"record 2 \(node/2\): geometry.coordinates is missing"):
        call_command("import_pharmacies", path, verbosity=0)
    assert Hub.objects.filter(kind=Hub.Kind.PHARMACY).count() == pharmacies
    assert not Hub.objects.filter(name="A").exists()
