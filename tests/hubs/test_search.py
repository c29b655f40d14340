import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Polygon
from django.utils import timezone

from config import geo
from hubs.models import Hub
from tests.factories import HubFactory, MembershipFactory, OpeningHoursFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db
BLOSNE = "Centre de santé communautaire du Blosne"
SABOURAUD = "Espace santé Olivier Sabouraud"
VERN = "Maison de santé de Vern-sur-Seiche"
VILLEJEAN = {"lat": "48.1215", "lng": "-1.7094"}


def names(client, **params):
    response = client.get("/hubs/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return [hub.name for hub in response.context["page"].object_list]


def test_near_a_point_sorts_by_distance_and_shows_it(client):
    response = client.get("/hubs/", {**VILLEJEAN, "radius_km": "10"})
    hubs = list(response.context["page"].object_list)
    assert [h.name for h in hubs][:2] == [SABOURAUD, BLOSNE]
    assert [h.distance.m for h in hubs] == sorted(h.distance.m for h in hubs)
    page = response.content.decode()
    assert hubs[0].distance.m < 1000
    assert f"à {round(hubs[0].distance.m / 10) * 10:.0f} m" in page  # metres under 1 km
    assert f"à {hubs[1].distance.km:.1f} km".replace(".", ",") in page  # the Blosne centre, in km
    assert VERN not in [h.name for h in hubs]  # 10.5 km away


def test_the_radius_defaults_to_two_km_and_offers_to_widen(client):
    response = client.get(
        "/hubs/", {"lat": "48.1500", "lng": "-1.7500"}
    )  # north-west of Rennes, no hub within 2 km
    assert response.context["page"].paginator.count == 0
    page = response.content.decode()
    assert "Élargir la recherche à 5 km" in page
    assert "radius_km=5.0" in page


def test_choosing_a_quartier_uses_its_centre(client):
    hubs = names(client, around="villejean-beauregard", radius_km="3")
    assert hubs[0] == SABOURAUD


def test_sort_by_name_even_with_a_point(client):
    hubs = names(client, **VILLEJEAN, radius_km="10", sort="name")
    assert hubs == sorted(hubs)


@pytest.mark.parametrize(
    "params, present, absent",
    [
        ({"service": "sage-femme"}, [BLOSNE, VERN], [SABOURAUD]),
        ({"service": ["sage-femme", "kinesitherapie"]}, [BLOSNE, VERN, SABOURAUD], []),
        ({"profession": "physiotherapist"}, [SABOURAUD, VERN], [BLOSNE]),
        ({"kind": "POLE_RESSOURCES_SANTE"}, ["Pôle ressources santé de Fives"], [BLOSNE]),
        ({"territory": "le-blosne"}, [BLOSNE], [SABOURAUD]),
        ({"territory": "lille", "q": "pôle"}, ["Pôle ressources santé de Fives"], [BLOSNE]),
        ({"tiers_payant": "on"}, [BLOSNE, VERN], [SABOURAUD]),
        ({"accepting": "on"}, [BLOSNE], [VERN]),
        ({"language": "anglais"}, [VERN], [BLOSNE]),
    ],
)
def test_filters_combine(client, params, present, absent):
    found = names(client, **params)
    assert all(name in found for name in present), found
    assert not any(name in found for name in absent), found


def test_wheelchair_filter(client):
    hub = HubFactory(wheelchair_access="YES", name="Maison Zéphyr accessible")
    HubFactory(wheelchair_access="NO", name="Maison Zéphyr à étage")
    assert names(client, wheelchair="on", q="zephyr") == [hub.name]


def test_open_now_uses_paris_time_holidays_and_closures(client, monkeypatch):
    monday_morning = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: monday_morning)
    open_now = names(client, open_now="on")
    assert BLOSNE in open_now and SABOURAUD in open_now
    christmas = datetime.datetime(2026, 12, 25, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: christmas)
    assert names(client, open_now="on") == []
    monkeypatch.setattr(timezone, "now", lambda: monday_morning)
    Hub.objects.get(name=BLOSNE).closures.create(
        starts_on="2026-11-23", ends_on="2026-11-23", reason="Travaux"
    )
    assert BLOSNE not in names(client, open_now="on")


def test_results_show_what_a_resident_needs(client, monkeypatch):
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    )
    page = client.get("/hubs/", {"q": "blosne"}).content.decode()
    assert "1 lieu trouvé" in page
    for text in [
        "Centre de santé",
        "1, place du Banat",
        "Ouvert maintenant",
        "Tiers payant",
        "Nouveaux patients acceptés (au 1er septembre 2026)",  # as its professionals say
        "Médiation en santé",
    ]:
        assert text in page, text


def test_each_card_says_whether_its_hub_is_open_now(client, monkeypatch):
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    )

    def badge():
        page = client.get("/hubs/", {"q": "blosne"}).content.decode()
        return (
            '<span class="badge badge-open">Ouvert maintenant</span>' in page,
            '<span class="badge badge-closed">Fermé maintenant</span>' in page,
        )

    assert badge() == (True, False)
    Hub.objects.get(name=BLOSNE).closures.create(
        starts_on="2026-11-23", ends_on="2026-11-23", reason="Travaux"
    )
    assert badge() == (False, True)


def test_results_are_paginated_by_20(client):
    for index in range(25):
        HubFactory(name=f"Zz Maison {index:02d}")
    first = client.get("/hubs/", {"q": "zz maison"})
    assert first.context["page"].paginator.count == 25 and len(first.context["page"].object_list) == 20
    second = names(client, q="zz maison", page="2")
    assert len(second) == 5
    assert "q=zz%20maison" in first.content.decode()  # the next-page link keeps the filters


def test_map_geojson_has_the_same_filters(client):
    data = json.loads(client.get("/hubs/map.geojson", {"service": "sage-femme"}).content)
    assert {f["properties"]["name"] for f in data["features"]} == {BLOSNE, VERN}
    blosne = next(f for f in data["features"] if f["properties"]["name"] == BLOSNE)
    assert blosne["geometry"]["coordinates"] == [-1.6593, 48.0846]
    assert blosne["properties"]["name"] == BLOSNE
    assert data["kinds"][blosne["properties"]["kind"]] == "Centre de santé"
    link = data["url"].replace("{id}", str(blosne["id"]))
    assert client.get(link)["Location"] == "/hubs/centre-de-sante-communautaire-du-blosne/"
    near = json.loads(client.get("/hubs/map.geojson", {**VILLEJEAN, "radius_km": "1"}).content)
    assert [f["properties"]["name"] for f in near["features"]] == [SABOURAUD]


def test_map_geojson_bbox_searches_the_visible_area(client):
    lille = json.loads(client.get("/hubs/map.geojson", {"bbox": "2.9,50.55,3.2,50.7"}).content)
    in_view = Hub.objects.published().filter(location__within=Polygon.from_bbox((2.9, 50.55, 3.2, 50.7)))
    assert len(lille["features"]) == in_view.count() > 5  # the five pôles and the pharmacies around them
    assert all(2.9 <= f["geometry"]["coordinates"][0] <= 3.2 for f in lille["features"])


def test_map_geojson_escapes_nothing_but_holds_data_as_text(client):
    HubFactory(name="<img src=x onerror=alert(1)>")
    data = json.loads(client.get("/hubs/map.geojson").content)
    assert "<img src=x onerror=alert(1)>" in {f["properties"]["name"] for f in data["features"]}


def test_the_hub_page_has_json_ld_grouped_services_directions_and_density(client):
    page = client.get("/hubs/centre-de-sante-communautaire-du-blosne/").content.decode()
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "MedicalClinic" and data["isAcceptingNewPatients"] is True
    assert {
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "08:45",
        "closes": "13:00",
        "@type": "OpeningHoursSpecification",
    } in data["openingHoursSpecification"]
    assert len(data["openingHoursSpecification"]) == 10
    assert "<h3>Soins</h3>" in page and "<h3>Accompagnement social</h3>" in page
    assert "openstreetmap.org/directions?to=48.08460%2C-1.65930" in page
    assert "Le Blosne : 6,1" in page and "Rennes : 13,4" in page
    assert "accepte de nouveaux patients" in page


def test_json_ld_cannot_be_broken_out_of(client):
    hub = HubFactory(name="</script><script>alert(1)</script>")
    page = client.get(hub.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page


def test_compare_two_hubs_side_by_side_with_distance(client):
    response = client.get(
        "/hubs/compare/",
        {"hub": ["centre-de-sante-communautaire-du-blosne", "espace-sante-olivier-sabouraud"], **VILLEJEAN},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 lieux côte à côte" in page
    service_row = page.split(">Consultations de sage-femme</th>")[1].split("</tr>")[0]
    assert service_row.index("✓") < service_row.index("—")
    kine_row = page.split(">Masseur-kinésithérapeute</th>")[1].split("</tr>")[0]
    assert '>0</td><td data-label="Espace santé Olivier Sabouraud">3</td>' in kine_row
    distance_row = page.split('<tr class="distance">')[1].split("</tr>")[0]
    assert re.search(
        r">5,\d km</td><td data-label=\"Espace santé Olivier Sabouraud\">\d{3} m</td>", distance_row
    ), distance_row


@pytest.mark.parametrize(
    "hubs, message",
    [
        ([], "vous en avez choisi 0"),
        (["centre-de-sante-communautaire-du-blosne"], "vous en avez choisi 1"),
        (
            [
                "pole-ressources-sante-fives",
                "pole-ressources-sante-lille-sud",
                "pole-ressources-sante-moulins",
                "pole-ressources-sante-wazemmes",
            ],
            "vous en avez choisi 4",
        ),
        (["centre-de-sante-communautaire-du-blosne", "atlantis"], "Lieu inconnu : atlantis"),
        (
            ["centre-de-sante-communautaire-du-blosne", "centre-de-sante-communautaire-du-blosne"],
            "vous en avez choisi 1",
        ),
    ],
)
def test_compare_explains_bad_choices(client, hubs, message):
    response = client.get("/hubs/compare/", {"hub": hubs})
    assert response.status_code == 400
    assert message in response.content.decode()


GARBAGE = [
    ("lat", "999"), ("lat", "abc"), ("lng", "abc"), ("lng", "-181"), ("radius_km", "-5"), ("radius_km", "1e308"),
    ("radius_km", "nan"), ("radius_km", "inf"), ("service", "unknown"), ("profession", "astronaut"), ("kind", "CASTLE"),
    ("territory", "atlantis"), ("around", "atlantis"), ("bbox", "1,2,3"), ("bbox", "10,10,0,0"), ("sort", "price"),
    ("q", "x" * 10_000), ("language", "y" * 500), ("page", "999999"), ("page", "abc"),
    ("q", '<script>alert("x")</script>'), ("q", "' OR 1=1 --"), ("open_now", "maybe"),
]  # fmt: skip


@pytest.mark.parametrize("name, value", GARBAGE)
def test_garbage_gets_a_readable_answer_never_a_500(client, name, value):
    params = {
        name: value,
        **({"lng": "-1.68"} if name == "lat" else {}),
        **({"lat": "48.1"} if name == "lng" else {}),
    }
    page = client.get("/hubs/", params)
    assert page.status_code in (200, 400)
    assert "Trouver un lieu de santé" in page.content.decode()
    assert "<script>alert" not in page.content.decode()
    geojson = client.get("/hubs/map.geojson", params)
    assert geojson.status_code in (200, 400)
    if page.status_code == 400:
        assert geojson.status_code == 400 and "errors" in json.loads(geojson.content)
    compare = client.get("/hubs/compare/", {"hub": ["a", value[:50]], name: value})
    assert compare.status_code == 400


def test_repeated_parameters_are_handled(client):
    response = client.get("/hubs/?lat=48.12&lat=99&lng=-1.7&radius_km=1&radius_km=2")
    assert response.status_code in (200, 400)


def test_a_lone_latitude_is_explained(client):
    response = client.get("/hubs/", {"lat": "48.1"})
    assert response.status_code == 400
    assert "latitude et d&#x27;une longitude" in response.content.decode()


@pytest.mark.parametrize("extra_hubs", [5, 50])
def test_query_counts_do_not_grow_with_results(bounded_get, extra_hubs):
    for _ in range(extra_hubs):
        hub = HubFactory(tiers_payant=True)
        OpeningHoursFactory(hub=hub)
        MembershipFactory(hub=hub)
    pages = [
        ("/hubs/", {}),
        ("/hubs/", {**VILLEJEAN, "radius_km": "50", "open_now": "on", "tiers_payant": "on"}),
        ("/hubs/centre-de-sante-communautaire-du-blosne/", {}),
        ("/hubs/compare/", {"hub": ["centre-de-sante-communautaire-du-blosne", "espace-sante-olivier-sabouraud", "maison-de-sante-de-vern-sur-seiche"]}),
        ("/hubs/map.geojson", {}),
        ("/hubs/map.geojson", {**VILLEJEAN, "radius_km": "50"}),
        ("/professionals/", {}),
    ]  # fmt: skip
    for url, params in pages:
        # A hub page also reads the stops near it, their lines and the transport feeds covering it (3 more), and
        # when it is closed (at lunch, at night) the tonight box's two searches nearby.
        bounded_get(url, params, most=15 if url.endswith("blosne/") else 10)


def test_professionals_directory_filters_and_links_to_hubs(client):
    page = client.get(
        "/professionals/", {"profession": "physiotherapist", "territory": "villejean-beauregard"}
    ).content.decode()
    assert "3 professionnels" in page and SABOURAUD in page
    accepting = client.get("/professionals/", {"accepting": "on", "q": "kine"}).context["page"].object_list
    assert accepting and all(p.accepting_new_patients == "YES" for p in accepting)
    MembershipFactory(
        professional=ProfessionalFactory(display_name="Hélène Énault", languages="français, arabe"),
        hub=Hub.objects.get(name=SABOURAUD),
    )
    assert client.get("/professionals/", {"q": "helene"}).context["page"].paginator.count == 1
    physios = client.get("/professionals/", {"q": "kinesitherapeute"}).context["page"].paginator.count
    assert physios > 0
    assert client.get("/professionals/", {"q": "kinesiterapeute"}).context["page"].paginator.count == physios
    assert client.get("/professionals/", {"language": "arabe"}).context["page"].paginator.count == 1
    assert client.get("/professionals/", {"territory": "atlantis"}).status_code == 400


def test_point_helper_refuses_impossible_coordinates():
    with pytest.raises(ValueError):
        geo.point(lat=91, lng=0)


PROFESSIONAL_GARBAGE = [
    ("profession", "astronaut"), ("territory", "atlantis"), ("accepting", "maybe"), ("language", "z" * 500),
    ("q", "x" * 10_000), ("q", "<script>alert(1)</script>"), ("page", "-3"), ("page", "999999"),
]  # fmt: skip


@pytest.mark.parametrize("name, value", PROFESSIONAL_GARBAGE)
def test_professional_directory_garbage_never_gives_a_500(client, name, value):
    response = client.get("/professionals/", {name: value})
    assert response.status_code in (200, 400)
    assert "Professionnels de santé" in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/hubs/<script>/", "/hubs/id/999999/", "/professionals/abc/", "/professionals/0/"]
)
def test_unknown_pages_are_404(client, path):
    assert client.get(path).status_code == 404


def test_compare_after_a_near_search_keeps_the_point_machine_readable(client):
    page = client.get("/hubs/", {**VILLEJEAN, "radius_km": "10"}).content.decode()
    lat = re.search(r'<input type="hidden" name="lat" value="([^"]+)"', page).group(1)
    lng = re.search(r'<input type="hidden" name="lng" value="([^"]+)"', page).group(1)
    assert (lat, lng) == (VILLEJEAN["lat"], VILLEJEAN["lng"])  # a dot, never the French decimal comma
    hubs = [h.slug for h in Hub.objects.filter(name__in=[SABOURAUD, BLOSNE])]
    assert client.get("/hubs/compare/", {"hub": hubs, "lat": lat, "lng": lng}).status_code == 200
