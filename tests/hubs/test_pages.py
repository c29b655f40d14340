import pytest
from django.db import connection

from hubs.models import Hub
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db
BLOSNE = "/hubs/centre-de-sante-communautaire-du-blosne/"


def test_home_shows_real_counts_services_and_the_districts_most_in_need(client):
    page = client.get("/").content.decode()
    assert f"<strong>{Hub.objects.published().count()}</strong>" in page
    assert "Médiation en santé" in page
    assert "Le Blosne" in page and "5,7" in page  # its lowest official figure, French decimal comma
    assert "Données de démonstration" in page


def test_home_figures_are_kept_a_minute_but_follow_every_hub_write(client, django_assert_max_num_queries):
    from hubs.models import Service

    before = Hub.objects.published().count()
    client.get("/")
    hub = HubFactory(published=True)  # a write: the cached figures are forgotten
    assert f"<strong>{before + 1}</strong>" in client.get("/").content.decode()
    hub.services.add(
        Service.objects.create(
            name="Vaccination des voyageurs", slug="vaccination-voyageurs", category="CARE"
        )
    )
    assert "Vaccination des voyageurs" in client.get("/").content.decode()
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_every_page_links_to_the_four_sections(client):
    page = client.get("/").content.decode()
    for url in ["/hubs/", "/professionals/", "/districts/", "/programmes/"]:
        assert f'href="{url}"' in page


def test_the_blosne_hub_page_shows_what_the_seed_says(client):
    page = client.get(BLOSNE).content.decode()
    assert "1, place du Banat, 35200 Rennes" in page
    assert 'href="tel:0299419510"' in page
    assert "08h45–13h00, 14h00–19h00" in page
    # The booking desk's shorter hours, in the description, say what they are beside the opening hours.
    assert "L&#x27;accueil qui prend les rendez-vous répond de 8h45 à 12h30" in page
    assert "8 mars 2021" in page
    assert "Tiers payant" in page and "Santé participative" in page
    assert "Accompagnement et financement des centres de santé par l&#x27;Assurance Maladie" in page
    assert "France Active Bretagne" in page
    assert "Fiche de démonstration" in page
    assert "communiqué de presse du 26 février 2021" in page


def test_an_unknown_or_unpublished_hub_is_a_404(client):
    assert client.get("/hubs/nowhere/").status_code == 404
    hidden = HubFactory(published=False)
    assert client.get(f"/hubs/{hidden.slug}/").status_code == 404


def test_hub_names_are_escaped_in_pages_and_map_data(client):
    hub = HubFactory(name='<script>alert("x")</script>')
    page = client.get(hub.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page
    assert "\\u003Cscript\\u003E" in page  # json_script escapes < inside the embedded map data


def test_hub_list_searches_without_accents(client):
    page = client.get("/hubs/", {"q": "pole ressources SANTE lille-sud"}).content.decode()
    assert "Pôle ressources santé de Lille-Sud" in page
    assert "Centre de santé communautaire du Blosne" not in page


def test_hub_list_filters_by_service_and_territory(client):
    page = client.get("/hubs/", {"service": "sage-femme", "territory": "rennes"}).content.decode()
    assert ">Centre de santé communautaire du Blosne</a>" in page
    assert ">Maison de santé de Vern-sur-Seiche</a>" not in page
    assert ">Espace santé Olivier Sabouraud</a>" not in page  # in Rennes, but no midwife


@pytest.mark.parametrize(
    "params",
    [
        {"service": "unknown"},
        {"territory": "atlantis"},
        {"kind": "CASTLE"},
        {"q": "x" * 10_000},
        {"page": "999999"},
    ],
)
def test_bad_filters_get_a_readable_answer_not_a_500(client, params):
    response = client.get("/hubs/", params)
    assert response.status_code in (200, 400)
    assert "Lieux de santé" in response.content.decode()


def test_the_hub_list_query_count_does_not_grow_with_results(bounded_get):
    for _ in range(30):
        HubFactory()
    bounded_get("/hubs/", most=10)
    bounded_get(BLOSNE, most=15)  # 3 of them for public transport: stops near, their lines, the feeds
    bounded_get("/", most=10)


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_every_aria_reference_on_a_hub_page_points_to_an_element(client):
    import re

    page = client.get(BLOSNE).content.decode()
    ids = set(re.findall(r' id="([^"]+)"', page))
    references = [
        ref for refs in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', page) for ref in refs.split()
    ]
    assert references and [ref for ref in references if ref not in ids] == []


def test_bad_criteria_are_summarised_at_the_top_with_links_to_their_fields(client):
    response = client.get("/hubs/", {"lat": "48,1", "lng": "-1.6", "radius_km": "500"})
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "Il y a un problème" in summary
    assert 'href="#id_lat"' in summary and 'href="#id_radius_km"' in summary
    assert page.index('class="error-summary"') < page.index('id="search-form"')


def test_a_record_page_has_a_back_link_to_its_list(client):
    page = client.get("/hubs/centre-de-sante-communautaire-du-blosne/").content.decode()
    assert '<a class="back-link" href="/hubs/">Tous les lieux de santé</a>' in page
    english = client.get("/en/programmes/psla-normandie/").content.decode()
    assert '<a class="back-link" href="/en/programmes/">All support programmes</a>' in english
