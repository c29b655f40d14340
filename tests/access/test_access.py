"""Access to GPs on a small grid whose answers are worked out on paper (in the docstrings), on both databases.

Four cells on one meridian, north of hub H1 (2 GPs, not taking new patients): A 300 m (100 residents),
B 1,500 m (200), C 3,000 m (300), D 8,000 m (400); hub H2 (1 GP, accepting) 500 m north of D.
Distances along a meridian are the latitude difference times 111,195.08 m a degree (haversine, R 6,371,008.8 m).
"""

import datetime
import html
import io
import re

import pytest
import time_machine
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import Polygon
from django.core.management import call_command
from django.utils import timezone

from access.compute import compute_access
from access.what_if import answer, best_sites
from config import geo
from config.choices import Availability
from districts.models import CompleteDirectory, PopulationCell, TerritoryAccess
from portal.models import ScheduledJob
from professionals.models import Membership, Profession
from tests.factories import HubFactory, MembershipFactory, ProfessionalFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
LAT, LNG = 45.0, 5.0
METRES_PER_DEGREE = 111_195.08
NORTH = {"A": (300, 100), "B": (1500, 200), "C": (3000, 300), "D": (8000, 400)}


def north_of_h1(metres):
    return geo.point(lat=LAT + metres / METRES_PER_DEGREE, lng=LNG)


def hub(metres, *, gps, accepting):
    """A hub `metres` north of H1; its "new patients" answer follows its GPs' (hubs/counts.py)."""
    h = HubFactory(location=north_of_h1(metres))
    gp = Profession.objects.filter(counts_as_gp=True).first()
    for _ in range(gps):
        person = ProfessionalFactory(profession=gp, active=True, accepting_new_patients=accepting)
        MembershipFactory(hub=h, professional=person)
    return h


@pytest.fixture
def grid():
    """The four cells in a territory the grid covers, and the two hubs; access computed."""
    area = Polygon.from_bbox((LNG - 0.01, LAT - 0.01, LNG + 0.01, LAT + 0.1))
    area.srid = geo.WGS84
    territory = TerritoryFactory(
        name="Quartier témoin", slug="quartier-temoin", boundary=geo.as_multipolygon(area)
    )
    to_laea = CoordTransform(SpatialReference(geo.WGS84), SpatialReference(3035))
    cells = {}
    for name, (metres, people) in NORTH.items():
        centre = north_of_h1(metres)
        laea = centre.transform(to_laea, clone=True)
        cells[name] = PopulationCell.objects.create(
            code=f"TEST{name}", east=round(laea.x), north=round(laea.y), location=centre,
            population=people, year=2019, territory=territory,
        )  # fmt: skip
    TerritoryAccess.objects.create(territory=territory, grid_year=2019, grid_source="carroyage de test")
    # Figures computed from the directory's GPs are shown only where it is known to list them all.
    CompleteDirectory.objects.create(
        territory=territory, profession=Profession.objects.filter(counts_as_gp=True).first(),
        source="vérification de test", as_of=datetime.date(2026, 11, 2),
    )  # fmt: skip
    hub(0, gps=2, accepting=Availability.NO)
    hub(8500, gps=1, accepting=Availability.YES)
    compute_access(territory=territory)
    return territory, cells


def test_each_cell_knows_its_nearest_gp_and_its_nearest_accepting_one(grid):
    _territory, cells = grid
    found = {n: PopulationCell.objects.get(pk=c.pk) for n, c in cells.items()}
    assert {n: c.gp_metres for n, c in found.items()} == {"A": 300, "B": 1500, "C": 3000, "D": 500}
    assert {n: c.accepting_metres for n, c in found.items()} == {"A": 8200, "B": 7000, "C": 5500, "D": 500}


def test_the_2sfca_scores_are_those_worked_out_on_paper(grid):
    """H1: demand 100 + 200 + 300 × 2/3 (3 km) = 500, ratio 2/500. H2: 300 × 1/3 (5.5 km) + 400 = 500, ratio
    1/500. Per 10,000: A 40, B 40, C 40 × 2/3 + 20 × 1/3 = 33.33, D 20 (H1 is 8 km away: out of reach)."""
    _territory, cells = grid
    scores = {n: PopulationCell.objects.get(pk=c.pk).score for n, c in cells.items()}
    assert scores == pytest.approx({"A": 40.0, "B": 40.0, "C": 100 / 3, "D": 20.0})


def test_the_territory_figures_are_shares_of_its_residents(grid, client):
    """Within 500 m of a GP: A and D, 500 of 1,000; within 2 km: A, B, D, 700. Of an accepting one: D only.
    Weighted score: (100 × 40 + 200 × 40 + 300 × 33.33 + 400 × 20) / 1,000 = 30."""
    territory, _cells = grid
    access = TerritoryAccess.objects.get(territory=territory)
    assert access.population == 1000
    assert [(b["metres"], b["gp_share"], b["accepting_share"]) for b in access.bands()] == [
        (500, 0.5, 0.4), (1000, 0.5, 0.4), (2000, 0.7, 0.4)
    ]  # fmt: skip
    assert access.score == pytest.approx(30.0)
    page = html.unescape(client.get(territory.get_absolute_url()).content.decode())
    assert "500 (50\u202f%)" in page and "700 (70\u202f%)" in page and "30,0 médecins généralistes" in page
    assert "à vol d'oiseau" in page
    assert (
        "tous les médecins généralistes de ce territoire d'après vérification de test, au 2 novembre 2026"
        in page
    )
    api = client.get(f"/api/v1/territories/{territory.slug}/").json()["access"]
    assert (api["share_within_metres_of_gp"], api["score_2sfca_gp_per_10k"]) == (
        {"500": 0.5, "1000": 0.5, "2000": 0.7},
        30.0,
    )


def test_without_a_complete_directory_no_figure_rests_on_its_gaps(grid, client):
    """Where no one has established that the directory lists every GP, what is computed from its GPs is withheld
    everywhere (page, map, API, what if); what the grid alone says stays: 1,000 residents, and around C: C (300)
    within 500 m and 1 km, B too (1.5 km away) within 2 km. The best sites are then the most populated: D, C, B, A."""
    territory, cells = grid
    CompleteDirectory.objects.all().delete()
    page = html.unescape(client.get(territory.get_absolute_url()).content.decode())
    assert re.search(r"La population carroyée couvre ce territoire \(1\s000 habitants", page)
    assert "n'est pas connu pour lister tous ses médecins généralistes" in page
    assert "50\u202f%" not in page and "médecins généralistes pour 10 000 habitants à portée" not in page
    api = client.get(f"/api/v1/territories/{territory.slug}/").json()["access"]
    assert api["population"] == 1000 and api["directory_complete_according_to"] is None
    assert api["score_2sfca_gp_per_10k"] is None and set(api["share_within_metres_of_gp"].values()) == {None}
    squares = client.get(f"/districts/{territory.slug}/carreaux.geojson").json()
    assert squares["distances"] is False and {f["properties"]["class"] for f in squares["features"]} == {None}
    c = cells["C"].location
    found = answer(lat=c.y, lng=c.x, gps=3)
    assert (found.within, found.newly_within, found.score_after) == (
        {500: 300, 1000: 300, 2000: 500},
        None,
        None,
    )
    page = html.unescape(client.get("/acces/", {"lat": c.y, "lng": c.x, "gps": 3}).content.decode())
    assert "n'est pas connu pour lister tous les médecins généralistes de ce territoire" in page
    assert "avec ce centre" not in page
    assert [s["within_1000"] for s in best_sites(territory, gps=2)] == [400, 300, 200, 100]


def test_a_new_centre_at_c_is_worked_out_on_paper(grid, client):
    """3 GPs at C: C's 300 residents come within 500 m (B already was within 2 km). Demand 100 × 2/3 (2.7 km)
    + 200 + 300 + 400 × 1/3 (5 km) = 700, ratio 3/700: the quartier's score gains 30,000 / 1,000 = 30."""
    territory, cells = grid
    c = cells["C"].location
    found = answer(lat=c.y, lng=c.x, gps=3)
    assert found.territory == territory
    assert found.newly_within == {500: 300, 1000: 300, 2000: 300}
    assert (found.score_before, found.score_after) == pytest.approx((30.0, 60.0))
    api = client.get("/api/v1/access/what-if", {"lat": c.y, "lng": c.x, "gps": 3}).json()
    assert (api["territory"], api["newly_within"]["500"], api["within"]["2000"], api["score_after"]) == (
        "quartier-temoin",
        300,
        500,
        60.0,
    )
    page = client.get("/acces/", {"lat": c.y, "lng": c.x, "gps": 3}).content.decode()
    assert (
        "30,0 aujourd&#x27;hui, 60,0 avec ce centre" in page
        or "30,0 aujourd'hui, 60,0 avec ce centre" in page
    )


def test_the_best_sites_are_chosen_greedily(grid, client):
    """Farther than 1 km from a GP: B (200) and C (300), 1.5 km apart. First C (300 brought within 1 km), then
    B (200); then nobody is left."""
    territory, cells = grid
    sites = best_sites(territory, gps=2)
    assert [s["newly_within_1000"] for s in sites] == [300, 200]
    assert (sites[0]["lat"], sites[1]["lat"]) == (
        round(cells["C"].location.y, 5),
        round(cells["B"].location.y, 5),
    )
    page = client.get("/acces/", {"around": "quartier-temoin", "gps": 2}).content.decode()
    assert page.index("300 habitants de plus") < page.index("200 habitants de plus")


def test_a_territory_the_grid_does_not_cover_says_so_instead_of_zero(client):
    page = html.unescape(client.get("/districts/ille-et-vilaine/").content.decode())
    assert "ne couvre pas tout le territoire de l'Ille-et-Vilaine" in page
    assert client.get("/districts/ille-et-vilaine/carreaux.geojson").status_code == 404


def test_the_demo_grid_covers_rennes_vern_and_lille_with_real_insee_figures(client):
    """The excerpt of INSEE's Filosofi 2019 grid: 16,763 residents in Le Blosne's cells, 8,210 in Vern-sur-Seiche's
    (the 2024 commune figure is 8,289), 17,619 in Hellemmes'. Filosofi counts people in tax households where they
    are declared (a student on the parents' return counts at the parents'), so a student city's cells hold about
    four in five of its census population: Rennes 181,445 of 222,485, Lille 192,209 of 236,234."""
    figures = dict(TerritoryAccess.objects.values_list("territory__slug", "population"))
    assert {slug: round(figures[slug]) for slug in ["le-blosne", "vern-sur-seiche", "hellemmes"]} == {
        "le-blosne": 16763, "vern-sur-seiche": 8210, "hellemmes": 17619,
    }  # fmt: skip
    assert 0.78 < figures["rennes"] / 222_485 < 0.84 and 0.78 < figures["lille"] / 236_234 < 0.84
    squares = client.get("/districts/le-blosne/carreaux.geojson").json()
    assert squares["size"] == 200 and len(squares["features"]) > 40
    assert sum(f["properties"]["people"] for f in squares["features"]) == pytest.approx(16763, abs=60)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"lat": 48.1, "gps": 2}, "la latitude et la longitude"),
        ({"lat": 100, "lng": 0, "gps": 2}, "inférieure ou égale à 90"),
        ({"around": "le-blosne", "gps": 0}, "supérieure ou égale à 1"),
        ({"around": "nulle-part", "gps": 2}, "Rien ne s"),
    ],
)
def test_bad_what_if_questions_get_a_clear_400(client, query, message):
    page = client.get("/acces/", query)
    assert page.status_code == 400 and message in page.content.decode()
    assert client.get("/api/v1/access/what-if", query).status_code == 400


def test_the_scheduled_work_recomputes_after_a_change_and_not_otherwise(grid):
    """A GP leaves H1: the next scheduled run (at most every ten minutes) recomputes; a run with no change
    since does nothing."""
    territory, cells = grid
    ScheduledJob.objects.filter(name="access").delete()
    gp = Profession.objects.filter(counts_as_gp=True).first()
    h1_member = Membership.objects.filter(hub__location=north_of_h1(0), professional__profession=gp).first()
    h1_member.professional.active = False
    h1_member.professional.save()  # H1 keeps 1 GP: ratio 1/500, so A's score falls from 40 to 20
    out = io.StringIO()
    call_command("run_scheduled", stdout=out)
    assert "territories recomputed" in out.getvalue()
    assert PopulationCell.objects.get(pk=cells["A"].pk).score == pytest.approx(20.0)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        out = io.StringIO()
        call_command("run_scheduled", stdout=out)
    assert "no hub, professional or membership changed" in out.getvalue()
