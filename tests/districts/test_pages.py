import datetime
import json

import pytest
from django.core.cache import cache

from hubs.models import Hub
from tests.factories import MembershipFactory, ProfessionalFactory, ProfessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def text(response):
    return response.content.decode()


def test_le_blosne_page_shows_official_figures_with_source_and_year(client):
    page = text(client.get("/districts/le-blosne/"))
    assert "6,1" in page and "Ville de Rennes" in page
    assert "5,7" in page and "2016" in page and "ORS Bretagne" in page
    assert "Quartier prioritaire" in page
    # Hubs and programmes are listed by their own (paginated) pages, linked from here.
    assert 'href="/hubs/?territory=le-blosne"' in page and "Voir le lieu de santé" in page
    assert "Centre de santé communautaire du Blosne" in text(client.get("/hubs/", {"territory": "le-blosne"}))
    assert 'href="/programmes/?territory=le-blosne"' in page
    programmes = text(client.get("/programmes/", {"territory": "le-blosne"}))
    assert "Soutien de la Ville de Rennes aux pôles de santé" in programmes  # a programme of a parent


@pytest.fixture
def rennes_complete():
    """The city has checked that the directory lists every GP of Rennes (and so of its quartiers)."""
    from districts.models import CompleteDirectory, Territory
    from professionals.models import Profession

    return CompleteDirectory.objects.create(
        territory=Territory.objects.get(slug="rennes"),
        profession=Profession.objects.get(code="general-practitioner"),
        source="Ville de Rennes, contrôle des cabinets",
        as_of=datetime.date(2026, 11, 1),
    )


def test_without_a_complete_directory_nothing_is_computed_from_it(client):
    """The demo's professionals are invented: no density computed from them, and no gap resting on them."""
    page = text(client.get("/districts/le-blosne/"))
    assert "aucune densité n'en est calculée ici" in page and "Médecins généralistes : 2,2" not in page
    vern = text(client.get("/districts/vern-sur-seiche/"))
    assert "Il manque environ" not in vern  # Vern has no official figure: a gap would rest on demo people


def test_the_computed_density_counts_active_gps_of_the_territory_hubs(client, rennes_complete):
    page = text(client.get("/districts/le-blosne/"))
    # 4 demo GPs in the Blosne centre, 18,300 demo inhabitants -> 2.2 per 10,000
    assert "Médecins généralistes : 2,2 pour 10 000 habitants (4 en activité" in page
    assert "d'après Ville de Rennes, contrôle des cabinets, au 1er novembre 2026" in page


def test_a_new_gp_changes_the_computed_density_and_an_inactive_one_does_not(client, rennes_complete):
    blosne_hub = Hub.objects.get(slug="centre-de-sante-communautaire-du-blosne")
    MembershipFactory.create_batch(2, hub=blosne_hub, professional__profession=ProfessionFactory())
    MembershipFactory(hub=blosne_hub, professional=ProfessionalFactory(active=False))
    page = text(client.get("/districts/le-blosne/"))
    assert "Médecins généralistes : 3,3 pour 10 000 habitants (6 en activité" in page  # 6 / 18,300


def test_each_chart_compares_places_from_one_source(client):
    """Ville de Rennes gives Le Blosne 6.1, Rennes 13.4, France 10.9; the Assurance Maladie gives Ille-et-Vilaine
    8.9 and France 8.1 (2024). Each source in its own chart, the territory's own first: never 8.9 beside 10.9."""
    page = text(client.get("/districts/le-blosne/"))
    charts = page.split('class="chart-source"')[1:]
    assert len(charts) >= 2
    first, ameli = charts[0], next(c for c in charts if "Assurance Maladie" in c.split("</h3>")[0])

    def names(chart):
        return [row.split("<span>")[1].split("<")[0].strip() for row in chart.split('class="bar-row"')[1:]]

    assert (
        names(first) == ["Le Blosne", "Rennes", "France"] and "Des pôles de santé dans les quartiers" in first
    )
    assert "<strong>13,4</strong>" in first and "<strong>10,9</strong>" in first
    assert names(ameli)[0] == "Ille-et-Vilaine" and names(ameli)[-1] == "France"
    assert "<strong>8,9</strong>" in ameli and "<strong>8,1</strong>" in ameli and "10,9" not in ameli


def test_the_gap_to_the_city_and_national_averages(client):
    page = text(client.get("/districts/le-blosne/"))
    # Same source on both sides (Ville de Rennes): (13.4 - 6.1) * 18,300 / 10,000 = 13.4 and (10.9 - 6.1) * 1.83
    # = 8.8, in whole doctors (a fraction of a doctor is still one to find)
    assert "Il manque environ 14 médecins généralistes pour atteindre la densité de Rennes" in page
    assert "Il manque environ 9 médecins généralistes pour atteindre la densité de la France" in page


def test_a_gap_is_counted_in_whole_doctors():
    from districts.stats import gp_gap

    assert gp_gap(10_000, 9.7, 10.0) == 1  # 0.3 short: one doctor to find
    assert gp_gap(10_000, 8.0, 10.0) == 2
    assert gp_gap(10_000, 10.0, 10.0) == 0 and gp_gap(10_000, 12.0, 10.0) == 0
    assert gp_gap(None, 8.0, 10.0) is None


def test_a_retirement_outlook_that_would_point_at_one_person_is_not_shown(client):
    # Le Blosne's demo hubs have 4 GPs, 1 of whom plans to retire: "1 of 4" would name that person.
    assert "Départs en retraite" not in text(client.get("/districts/le-blosne/"))
    assert "Départs en retraite" not in text(client.get("/districts/villejean-beauregard/"))


def test_district_list_groups_by_city_with_figures_and_sorts(client):
    page = text(client.get("/districts/"))
    assert "<h2>Rennes</h2>" in page and "<h2>Lille</h2>" in page and "<h2>Ille-et-Vilaine</h2>" in page
    rennes = page.split("<h2>Rennes</h2>")[1].split("</section>")[0]
    assert rennes.index("Bourg l&#x27;Evesque") < rennes.index("Le Blosne") < rennes.index("Villejean")
    by_density = (
        text(client.get("/districts/", {"sort": "official"}))
        .split("<h2>Rennes</h2>")[1]
        .split("</section>")[0]
    )
    assert by_density.index("Le Blosne") < by_density.index("Villejean")
    by_density_desc = text(client.get("/districts/", {"sort": "-official"})).split("<h2>Rennes</h2>")[1]
    assert by_density_desc.index("Villejean") < by_density_desc.index("Le Blosne")


def test_an_unknown_sort_is_a_400_with_a_message(client):
    response = client.get("/districts/", {"sort": "<script>"})
    assert response.status_code == 400
    assert "Ce tri n'existe pas" in text(response) and "<script>" not in text(response)


def test_compare_le_blosne_and_villejean_against_rennes_and_france(client):
    response = client.get("/districts/compare/", {"territory": ["le-blosne", "villejean-beauregard"]})
    assert response.status_code == 200
    header = text(response).split("<thead>")[1].split("</thead>")[0]
    order = ["Le Blosne", "Villejean - Beauregard", "Rennes", "Ille-et-Vilaine", "Bretagne", "France"]
    positions = [header.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)
    gp_row = text(response).split('class="gp-official"')[1].split("</tr>")[0]
    cells = gp_row.split("<td>")[1:]
    assert "6,1" in cells[0] and "9,9" in cells[1] and "13,4" in cells[2] and "10,9" in cells[5]


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "Choisissez de 2 à 4 territoires"),
        ({"territory": ["le-blosne"]}, "vous en avez choisi 1"),
        ({"territory": ["le-blosne", "fives", "wazemmes", "lille-sud", "centre"]}, "vous en avez choisi 5"),
        ({"territory": ["le-blosne", "atlantis"]}, "Rien ne s&#x27;appelle « atlantis »."),
        ({"territory": ["le-blosne", "<b>x</b>"]}, "Rien ne s&#x27;appelle « &lt;b&gt;x&lt;/b&gt; »."),
        (
            # Too short to be taken for part of one name ("blosn" is: Le Blosne): the names that hold it.
            {"territory": ["le-blosne"], "add": ["bl"]},
            "Vouliez-vous dire : Bois-Blancs (Quartier ou commune), Le Blosne (Quartier ou commune) ?",
        ),
    ],
)
def test_compare_explains_bad_selections(client, params, message):
    response = client.get("/districts/compare/", params)
    assert response.status_code == (200 if not params else 400)
    assert message in text(response)


def test_empty_picker_values_are_ignored(client):
    response = client.get("/districts/compare/", {"territory": ["le-blosne", "", "fives", ""]})
    assert response.status_code == 200


def test_district_geojson_has_simplified_outlines_with_densities(client, rennes_complete):
    cache.clear()  # the outlines are cached five minutes; the completeness was declared just now
    response = client.get("/districts/map.geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert len(response.content) <= 300_000
    data = json.loads(response.content)
    features = {f["properties"]["slug"]: f for f in data["features"]}
    assert len(features) == 25  # 12 + 12 quartiers and Vern-sur-Seiche
    blosne = features["le-blosne"]["properties"]
    assert blosne["gp_official"] == 6.1 and blosne["gp_computed"] == 2.2 and blosne["priority_area"] is True
    assert features["le-blosne"]["geometry"]["type"] == "MultiPolygon"


def test_the_district_geojson_is_cached_and_refreshed_when_a_figure_changes(
    client, django_assert_max_num_queries
):
    from districts.models import DensityFigure

    client.get("/districts/map.geojson")
    with django_assert_max_num_queries(1):  # the read from the shared cache
        assert client.get("/districts/map.geojson").status_code == 200
    figure = DensityFigure.objects.get(territory__slug="le-blosne", year=None)
    figure.per_10k = 6.5
    figure.save()
    data = json.loads(client.get("/districts/map.geojson").content)
    assert (
        next(f for f in data["features"] if f["properties"]["slug"] == "le-blosne")["properties"][
            "gp_official"
        ]
        == 6.5
    )


def test_district_pages_answer_404_for_unknown_slugs(client):
    assert client.get("/districts/atlantis/").status_code == 404


def test_query_counts_do_not_grow_with_territories(bounded_get):
    bounded_get("/districts/", most=10)
    bounded_get("/districts/rennes/", most=18)
    bounded_get(
        "/districts/compare/",
        {"territory": ["le-blosne", "villejean-beauregard", "fives", "vern-sur-seiche"]},
        most=12,  # 2 of them say where the directory is complete (CompleteDirectory and the territories above)
    )
    bounded_get("/districts/map.geojson", most=8)


def test_the_list_pages_through_every_commune_sorted_in_sql(client):
    from districts.models import Territory
    from tests.factories import TerritoryFactory

    department = Territory.objects.get(slug="ille-et-vilaine")
    for index in range(70):
        TerritoryFactory(name=f"Commune {index:02}", parent=department, population=1000 + index)
    first = client.get("/districts/", {"sort": "-population"})
    assert first.status_code == 200
    assert first.context["page"].paginator.num_pages > 1 and len(first.context["page"].object_list) == 60
    rows = [row for _, group in first.context["groups"] for row in group["rows"]]
    populations = [r.territory.population for r in rows if r.territory.parent == department]
    assert populations == sorted(populations, reverse=True)
    last = client.get(
        "/districts/", {"sort": "-population", "page": first.context["page"].paginator.num_pages}
    )
    assert last.status_code == 200 and "Page précédente" in last.content.decode()


def test_a_territory_with_no_hub_in_the_directory_shows_no_computed_zero(client, rennes_complete):
    from districts.models import Territory
    from districts.stats import rows_for
    from tests.factories import TerritoryFactory

    empty = TerritoryFactory(
        name="Quartier sans fiche", population=9_000, parent=Territory.objects.get(slug="rennes")
    )
    page = client.get(empty.get_absolute_url()).content.decode()
    assert "Médecins généralistes : 0,0" not in page
    assert rows_for([empty])[0].computed is None
    assert rows_for([Territory.objects.get(slug="le-blosne")])[0].computed is not None  # it has hubs


def test_the_home_page_ranks_a_places_current_figure_not_an_old_one(client):
    """A source's 2010 figure for Fives (1.0) was replaced by its 2020 one (9.0): the home page's "most in need"
    does not lead with the old figure the territory page no longer shows."""
    from districts.models import DensityFigure, Territory
    from professionals.models import Profession

    fives, gp = Territory.objects.get(slug="fives"), Profession.objects.get(code="general-practitioner")
    for year, value in [(2010, 1.0), (2020, 9.0)]:
        DensityFigure.objects.create(
            territory=fives, profession=gp, per_10k=value, year=year, source="Source test"
        )
    home = client.get("/").content.decode()
    assert "Source test, 2010" not in home
    page = client.get("/districts/fives/").content.decode()
    assert "(2020)" in page and "(2010)" not in page


def test_a_renamed_city_lists_its_quartiers_under_its_new_name(client):
    """The list groups quartiers under a name each keeps (its city's), so that it reads an index: a rename
    carries over to the quartiers, whether made in the admin or by an import."""
    from districts.models import Territory

    rennes = Territory.objects.get(slug="rennes")
    rennes.name = "Rennes Ville"
    rennes.save()
    assert set(rennes.children.values_list("list_head", flat=True)) == {"Rennes Ville"}
    page = text(client.get("/districts/"))
    assert "<h2>Rennes</h2>" not in page
    group = page.split("<h2>Rennes Ville</h2>")[1].split("</section>")[0]
    assert group.index("Bourg l&#x27;Evesque") < group.index("Le Blosne") < group.index("Villejean")
