"""Place and hub pickers are text boxes resolved on the server, at any size of the directory."""

import pytest

from districts.forms import PlaceField
from hubs.forms import HubField
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text", ["le-blosne", "Le Blosne", "le blosne", "  Le Blosne  ", "Le Blosne (Quartier ou commune)"]
)
def test_a_place_is_found_by_slug_name_or_suggested_label(text):
    assert PlaceField().clean(text).slug == "le-blosne"


def test_two_places_with_one_name_ask_which_one():
    TerritoryFactory(name="Le Blosne", slug="le-blosne-ailleurs", level="CITY")
    field = PlaceField()
    with pytest.raises(Exception, match="Plusieurs réponses") as refused:
        field.clean("Le Blosne")
    assert "Le Blosne (Ville)" in str(refused.value)
    assert field.clean("Le Blosne (Ville)").slug == "le-blosne-ailleurs"


def test_a_hub_is_found_by_name_and_only_if_published():
    assert HubField().clean("Espace santé Olivier Sabouraud").slug == "espace-sante-olivier-sabouraud"
    from hubs.models import Hub

    Hub.objects.filter(slug="espace-sante-olivier-sabouraud").update(published=False)
    with pytest.raises(Exception, match="Rien ne s'appelle"):
        HubField().clean("Espace santé Olivier Sabouraud")


def test_the_hub_search_resolves_a_typed_place_and_pages_carry_no_list_of_places(client):
    by_name = client.get("/hubs/", {"around": "Villejean - Beauregard", "radius_km": "15", "q": "kiné"})
    by_slug = client.get("/hubs/", {"around": "villejean-beauregard", "radius_km": "15", "q": "kiné"})
    assert by_name.status_code == by_slug.status_code == 200
    assert by_name.context["page"].paginator.count == by_slug.context["page"].paginator.count == 2
    for url in ["/hubs/", "/professionals/", "/programmes/", "/districts/compare/"]:
        page = client.get(url).content.decode()
        assert page.count("<option") < 40, url  # sorts and statuses, never a list of places or hubs


@pytest.mark.parametrize("url", ["/districts/suggest/", "/hubs/suggest/"])
def test_suggestions_are_short_json_lists(client, url):
    found = client.get(url, {"q": "blosne"}).json()["suggestions"]
    assert found and all("Blosne" in name for name in found) and len(found) <= 8
    assert client.get(url, {"q": "b"}).json() == {"suggestions": []}
    assert client.get(url, {"q": "<script>" * 50}).status_code == 200
