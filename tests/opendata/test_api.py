"""/api/v1/: the directory as data, with the public pages' rules, filters and limits."""

import csv
import datetime
import io
import json
import subprocess

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from config.http import AnonymousThrottle
from districts.models import Territory
from hubs.models import Hub
from opendata.api import IdCursorPagination
from professionals.models import Professional
from tests.factories import (
    FundingFactory,
    HubFactory,
    MembershipFactory,
    OpeningHoursFactory,
    ServiceFactory,
    SupportProgrammeFactory,
)

pytestmark = pytest.mark.django_db


def get_json(client, url, params=None, status=200, **headers):
    response = client.get(url, params or {}, headers=headers)
    assert response.status_code == status, response.content[:300]
    return json.loads(response.content)


def walk(client, url, params=None):
    """Every record of a list, following the `next` links."""
    records, page = [], get_json(client, url, params)
    records += page["results"]
    while page["next"]:
        page = get_json(client, page["next"])
        records += page["results"]
    return records


def test_hub_record_has_address_position_hours_services_and_flags(client):
    hub = HubFactory(name="Maison de santé Ouest", street="1 rue Haute", postcode="35000", tiers_payant=True)
    OpeningHoursFactory(hub=hub, weekday=0, opens="08:30", closes="12:30")
    OpeningHoursFactory(hub=hub, weekday=0, opens="14:00", closes="19:00")
    hub.services.add(ServiceFactory(name="Vaccination", slug="vaccination-test"))
    hidden = HubFactory(name="Lieu pas encore publié", published=False)
    records = {r["slug"]: r for r in walk(client, "/api/v1/hubs/", {"page_size": 100})}
    assert hidden.slug not in records
    assert len(records) == Hub.objects.published().count()
    record = records[hub.slug]
    assert record["street"] == "1 rue Haute" and record["postcode"] == "35000"
    assert record["position"] == {"lat": pytest.approx(48.0846), "lng": pytest.approx(-1.6593)}
    assert record["opening_hours_osm"] == "Mo 08:30-12:30,14:00-19:00"
    assert [s["slug"] for s in record["services"]] == ["vaccination-test"]
    assert record["tiers_payant"] is True and record["accepting_new_patients"] == "UNKNOWN"
    assert record["page_url"].endswith(f"/hubs/{hub.slug}/")


def test_a_hub_is_found_by_its_id_and_by_its_slug(client):
    hub = HubFactory()
    assert get_json(client, f"/api/v1/hubs/{hub.pk}/")["slug"] == hub.slug
    assert get_json(client, f"/api/v1/hubs/{hub.slug}/")["id"] == hub.pk
    hidden = HubFactory(published=False)
    assert "detail" in get_json(client, f"/api/v1/hubs/{hidden.slug}/", status=404)


def test_the_pages_filters_work_on_the_api(client):
    vaccinating = HubFactory()
    vaccinating.services.add(ServiceFactory(slug="vaccination-test"))
    HubFactory()
    found = walk(client, "/api/v1/hubs/", {"service": "vaccination-test"})
    assert [r["id"] for r in found] == [vaccinating.pk]
    near = walk(client, "/api/v1/hubs/", {"lat": "48.0846", "lng": "-1.6593", "radius_km": "1"})
    assert vaccinating.pk in {r["id"] for r in near}
    assert all(r["distance_km"] is not None and r["distance_km"] <= 1 for r in near)


def test_modified_since_gives_what_changed_after_the_date(client):
    before = timezone.now() - datetime.timedelta(days=1)
    Hub.objects.update(updated_at=before - datetime.timedelta(days=30))
    changed = HubFactory()
    found = walk(client, "/api/v1/hubs/", {"modified_since": before.isoformat()})
    assert [r["id"] for r in found] == [changed.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"modified_since": "hier"}, "modified_since"),
        ({"lat": "48,1", "lng": "-1.6"}, "lat"),
        ({"radius_km": "5000", "lat": "48.1", "lng": "-1.6"}, "radius_km"),
        ({"service": "no-such-service"}, "service"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, params, field):
    assert field in get_json(client, "/api/v1/hubs/", params, status=400)


def test_errors_are_json_whatever_the_format_asked(client):
    response = client.get("/api/v1/hubs.csv", {"modified_since": "hier"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "modified_since" in json.loads(response.content)
    assert client.get("/api/v1/hubs.xml").status_code == 404


def test_pages_are_cursors_with_a_capped_size(client, monkeypatch):
    HubFactory.create_batch(4)
    monkeypatch.setattr(IdCursorPagination, "max_page_size", 3)
    page = get_json(client, "/api/v1/hubs/", {"page_size": 1000})
    assert len(page["results"]) == 3 and page["next"]
    ids = [r["id"] for r in walk(client, "/api/v1/hubs/", {"page_size": 2})]
    assert len(ids) == len(set(ids)) == Hub.objects.published().count()
    response = client.get("/api/v1/hubs/", {"page_size": 2})
    assert 'rel="next"' in response["Link"]


def test_an_unchanged_answer_is_a_304(client):
    first = client.get("/api/v1/hubs/")
    assert client.get("/api/v1/hubs/", headers={"if-none-match": first["ETag"]}).status_code == 304
    Hub.objects.filter(pk=Hub.objects.published().first().pk).update(name="Nouveau nom")
    again = client.get("/api/v1/hubs/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and "Nouveau nom" in again.content.decode()


def test_a_record_tells_when_it_changed(client):
    hub = HubFactory()
    first = client.get(f"/api/v1/hubs/{hub.pk}/")
    assert (
        client.get(
            f"/api/v1/hubs/{hub.pk}/", headers={"if-modified-since": first["Last-Modified"]}
        ).status_code
        == 304
    )
    Hub.objects.filter(pk=hub.pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=2))
    later = client.get(f"/api/v1/hubs/{hub.pk}/", headers={"if-modified-since": first["Last-Modified"]})
    assert later.status_code == 200


def test_a_new_place_of_practice_changes_a_professionals_record(client):
    membership = MembershipFactory()
    professional = membership.professional
    Professional.objects.filter(pk=professional.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=9)
    )
    MembershipFactory(professional=professional)
    professional.refresh_from_db()
    assert professional.updated_at > timezone.now() - datetime.timedelta(minutes=1)
    record = get_json(client, f"/api/v1/professionals/{professional.pk}/")
    assert (
        len(record["hubs"]) == 2 and client.get(f"/api/v1/professionals/{professional.pk}/")["Last-Modified"]
    )


def test_any_site_may_read_the_api_but_not_write(client):
    response = client.get("/api/v1/hubs/", headers={"origin": "https://reuser.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/v1/hubs/", {}).status_code == 405


def test_anonymous_clients_are_throttled(client, monkeypatch):
    cache.clear()
    monkeypatch.setattr(AnonymousThrottle, "rate", "2/minute", raising=False)
    assert [client.get("/api/v1/funders/").status_code for _ in range(3)] == [200, 200, 429]
    assert "detail" in json.loads(client.get("/api/v1/funders/").content)


def test_geojson_is_rfc_7946_and_gdal_reads_it(client, tmp_path):
    response = client.get("/api/v1/hubs.geojson", {"page_size": 200, "territory": "rennes"})
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    in_rennes = Hub.objects.published().in_territories(
        Territory.objects.within(Territory.objects.get(slug="rennes"))
    )
    located = in_rennes.filter(location__isnull=False).count()
    assert len(data["features"]) == in_rennes.count()
    lng, lat = next(f for f in data["features"] if f["geometry"])["geometry"]["coordinates"]
    assert -180 <= lng <= 180 and 40 < lat < 52  # longitude first
    path = tmp_path / "hubs.geojson"
    path.write_bytes(response.content)
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=True
    )
    assert f"Feature Count: {in_rennes.count()}" in summary.stdout
    assert "name: String" in summary.stdout and "opening_hours_osm: String" in summary.stdout
    assert located


def test_csv_is_semicolons_with_a_bom_and_no_formulas(client):
    HubFactory(name='=HYPERLINK("http://evil.example")')
    response = client.get("/api/v1/hubs.csv", {"page_size": 200, "territory": "rennes"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == Hub.objects.published().filter(city="Rennes").count()
    assert any(r["name"] == '\'=HYPERLINK("http://evil.example")' for r in rows)
    assert not any(r["name"].startswith("=") for r in rows)


def test_professionals_follow_the_public_pages_rules(client):
    shown = MembershipFactory().professional
    hidden_hub = MembershipFactory(hub=HubFactory(published=False)).professional
    retired = MembershipFactory(professional__active=False).professional
    shown.planned_retirement_year = 2027
    shown.save()
    records = {r["id"]: r for r in walk(client, "/api/v1/professionals/", {"page_size": 200})}
    assert set(records) == set(Professional.objects.public().values_list("pk", flat=True))
    assert shown.pk in records and hidden_hub.pk not in records and retired.pk not in records
    assert "planned_retirement_year" not in records[shown.pk]
    # No column holds the year, in any row (a timestamp's microseconds may read …2027…: whole values compared).
    text = client.get("/api/v1/professionals.csv", {"page_size": 200}).content.decode()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert "planned_retirement_year" not in rows[0]
    assert not any("2027" in row for row in rows[1:])


def test_territories_carry_official_figures_with_source_and_year_and_computed_ones(client):
    import datetime

    from districts.models import CompleteDirectory, Territory
    from professionals.models import Profession

    rennes = get_json(client, "/api/v1/territories/rennes/")
    gp = next(f for f in rennes["official_figures"] if f["profession"] == "general-practitioner")
    assert gp["per_10k"] == 13.4 and gp["source"]
    assert rennes["computed"]["hubs"] >= 1
    # Not computed from a directory nobody has declared complete (the demo's professionals are invented)
    assert rennes["computed"]["general_practitioners_per_10k"] is None
    CompleteDirectory.objects.create(
        territory=Territory.objects.get(slug="rennes"), profession=Profession.objects.get(code="general-practitioner"),
        source="contrôle de la Ville", as_of=datetime.date(2026, 11, 1),
    )  # fmt: skip
    rennes = get_json(client, "/api/v1/territories/rennes/")
    assert rennes["computed"]["general_practitioners_per_10k"] is not None
    assert rennes["computed"]["complete_according_to"] == "contrôle de la Ville"
    districts = walk(client, "/api/v1/territories/", {"level": "DISTRICT", "within": "rennes"})
    assert "le-blosne" in {t["slug"] for t in districts}
    assert all(t["level"] == "DISTRICT" for t in districts)


def test_programmes_show_fundings_to_published_hubs_only(client):
    programme = SupportProgrammeFactory()
    FundingFactory(programme=programme, hub=HubFactory(name="Lieu soutenu"))
    FundingFactory(programme=programme, hub=HubFactory(name="Lieu retiré", published=False))
    record = get_json(client, f"/api/v1/programmes/{programme.slug}/")
    assert [f["hub"]["name"] for f in record["fundings"]] == ["Lieu soutenu"]
    assert record["funders"][0]["name"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/hubs/",
        "/api/v1/hubs.geojson",
        "/api/v1/hubs.csv",
        "/api/v1/professionals/",
        "/api/v1/territories/",
        "/api/v1/territories.geojson",
        "/api/v1/programmes/",
        "/api/v1/funders/",
    ],
)
def test_a_page_costs_a_fixed_number_of_queries(client, url):
    client.get(url, {"page_size": 200})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"page_size": 200}).status_code == 200
    # Savepoints are the test's transaction around the cache's write; outside tests they are not sent.
    sent = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sent) <= 10, sent


def test_the_schema_is_valid_openapi_3_and_the_docs_are_served_here(client):
    response = client.get("/api/schema/", {"format": "json"})
    schema = json.loads(response.content)
    validate(schema)
    assert "/api/v1/hubs/" in schema["paths"]
    assert "modified_since" in {p["name"] for p in schema["paths"]["/api/v1/hubs/"]["get"]["parameters"]}
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "https://" not in docs and "<style>" not in docs
