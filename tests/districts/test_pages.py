import pytest

from tests.factories import MembershipFactory, ProfessionFactory

pytestmark = pytest.mark.django_db


def test_le_blosne_page_shows_official_figures_with_source_and_year(client):
    page = client.get("/districts/le-blosne/").content.decode()
    assert "6,1" in page and "Ville de Rennes" in page
    assert "5,7" in page and "2016" in page and "ORS Bretagne" in page
    assert "Quartier prioritaire" in page
    assert "Centre de santé communautaire du Blosne" in page
    assert "Soutien de la Ville de Rennes aux pôles de santé" in page  # a programme of a parent


def test_the_computed_density_counts_active_gps_of_the_territory_hubs(client):
    page = client.get("/districts/le-blosne/").content.decode()
    # 4 demo GPs in the Blosne centre, 18,300 demo inhabitants -> 2.2 per 10,000
    assert "Calculé à partir de l'annuaire : 2,2 médecins généralistes" in page


def test_a_new_gp_changes_the_computed_density(client):
    from hubs.models import Hub

    blosne_hub = Hub.objects.get(slug="centre-de-sante-communautaire-du-blosne")
    MembershipFactory.create_batch(2, hub=blosne_hub, professional__profession=ProfessionFactory())
    page = client.get("/districts/le-blosne/").content.decode()
    assert "3,3 médecins généralistes" in page  # 6 / 18,300 * 10,000


def test_district_list_and_unknown_slug(client):
    page = client.get("/districts/").content.decode()
    assert "Villejean - Beauregard" in page and "Lille-Sud" in page and "222" in page
    assert client.get("/districts/atlantis/").status_code == 404
