"""/fhir/: the directory in FHIR R4, every resource checked by the fhir.resources models."""

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class

from hubs.models import Hub
from opendata.fhir import FINESS_SYSTEM, RPPS_SYSTEM
from professionals.models import Professional
from tests.factories import HubFactory, MembershipFactory, OpeningHoursFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


def fhir_get(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    get_fhir_model_class(data["resourceType"]).model_validate(data)  # raises on anything not FHIR
    return data


def ids(bundle) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle["entry"]]


def test_the_capability_statement_names_what_the_server_does(client):
    statement = fhir_get(client, "/fhir/metadata")
    assert statement["fhirVersion"] == "4.0.1"
    types = {r["type"]: {p["name"] for p in r["searchParam"]} for r in statement["rest"][0]["resource"]}
    assert set(types) == {"Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"}
    assert {"_lastUpdated", "address-city", "identifier", "_count"} <= types["Organization"]
    assert "near" in types["Location"]


@pytest.mark.parametrize(
    "resource_type", ["Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"]
)
def test_every_search_gives_a_valid_searchset_of_public_records_only(client, resource_type):
    hidden = HubFactory(published=False)
    MembershipFactory(hub=hidden)
    bundle = fhir_get(
        client,
        f"/fhir/{resource_type}",
        {"_count": 100, **({} if resource_type.startswith("Practitioner") else {"address-city": "Rennes"})},
    )
    assert bundle["type"] == "searchset" and bundle["entry"]
    for entry in bundle["entry"]:
        get_fhir_model_class(resource_type).model_validate(entry["resource"])
    if resource_type in {"Organization", "Location", "HealthcareService"}:
        in_rennes = Hub.objects.published().filter(city__istartswith="Rennes")
        assert sorted(map(int, ids(bundle))) == sorted(in_rennes.values_list("pk", flat=True))
    if resource_type == "Practitioner":
        assert sorted(map(int, ids(bundle))) == sorted(
            Professional.objects.public().values_list("pk", flat=True)
        )


def test_a_hub_with_finess_and_hours_maps_to_organization_location_and_service(client):
    hub = HubFactory(name="Centre Test", finess="350000001", city="Rennes", phone="02 99 00 00 00")
    OpeningHoursFactory(hub=hub, weekday=2, opens="08:30", closes="12:00")
    organization = fhir_get(client, f"/fhir/Organization/{hub.pk}")
    finess = organization["identifier"][0]
    assert finess["system"] == FINESS_SYSTEM and finess["value"] == "350000001"
    assert finess["type"]["coding"][0]["code"] == "FINEG"
    location = fhir_get(client, f"/fhir/Location/{hub.pk}")
    assert location["position"] == {"longitude": -1.6593, "latitude": 48.0846}
    assert location["hoursOfOperation"] == [
        {"daysOfWeek": ["wed"], "openingTime": "08:30:00", "closingTime": "12:00:00"}
    ]
    assert location["managingOrganization"]["reference"] == f"Organization/{hub.pk}"
    found = fhir_get(client, "/fhir/Organization", {"identifier": f"{FINESS_SYSTEM}|350000001"})
    assert ids(found) == [str(hub.pk)]
    assert (
        fhir_get(client, "/fhir/Organization", {"identifier": "http://other.example|350000001"})["entry"]
        == []
    )


def test_practitioners_by_rpps_and_their_roles(client):
    professional = ProfessionalFactory(rpps="10001234567")
    membership = MembershipFactory(professional=professional, days_present="03")
    practitioner = fhir_get(client, "/fhir/Practitioner", {"identifier": f"{RPPS_SYSTEM}|10001234567"})
    assert ids(practitioner) == [str(professional.pk)]
    assert practitioner["entry"][0]["resource"]["identifier"][0]["type"]["coding"][0]["code"] == "RPPS"
    roles = fhir_get(client, "/fhir/PractitionerRole", {"practitioner": f"Practitioner/{professional.pk}"})
    role = roles["entry"][0]["resource"]
    assert role["organization"]["reference"] == f"Organization/{membership.hub.pk}"
    assert role["availableTime"] == [{"daysOfWeek": ["mon", "thu"]}]


def test_near_last_updated_city_and_count(client):
    near = fhir_get(client, "/fhir/Location", {"near": "48.0846|-1.6593|500|m"})
    assert near["entry"] and all(
        abs(e["resource"]["position"]["latitude"] - 48.0846) < 0.01 for e in near["entry"]
    )
    assert fhir_get(client, "/fhir/Organization", {"_lastUpdated": "gt2999-01-01"})["entry"] == []
    assert fhir_get(client, "/fhir/Organization", {"_lastUpdated": "ge2000-01-01T00:00:00"})["entry"]
    lille = fhir_get(client, "/fhir/Organization", {"address-city": "lille", "_count": 100})
    assert lille["entry"] and all(e["resource"]["address"][0]["city"] == "Lille" for e in lille["entry"])
    first = fhir_get(client, "/fhir/Organization", {"_count": 2})
    assert len(first["entry"]) == 2
    following = fhir_get(client, next(link["url"] for link in first["link"] if link["relation"] == "next"))
    assert not set(ids(first)) & set(ids(following))


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/fhir/Organization", {"unknown": "1"}, 400),
        ("/fhir/Organization", {"_lastUpdated": "hier"}, 400),
        ("/fhir/Location", {"near": "abc"}, 400),
        ("/fhir/Location", {"near": "95|0|2|km"}, 400),
        ("/fhir/Organization", {"_count": "beaucoup"}, 400),
        ("/fhir/Patient", {}, 404),
        ("/fhir/Organization/999999", {}, 404),
    ],
)
def test_bad_searches_get_an_operation_outcome(client, url, params, status):
    outcome = fhir_get(client, url, params, status=status)
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["diagnostics"]
