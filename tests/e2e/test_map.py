import pytest

from config import geo
from tests.factories import HubFactory

pytestmark = pytest.mark.e2e


def test_the_home_map_shows_the_demo_hubs_and_opens_a_hub_page(page, demo_server):
    page.goto(demo_server.url + "/")
    markers = page.locator("#home-map path.leaflet-interactive")
    markers.first.wait_for()
    assert markers.count() == 8
    page.goto(demo_server.url + "/hubs/centre-de-sante-communautaire-du-blosne/")
    page.wait_for_function("document.getElementById('hub-map').dataset.markers === '1'")
    page.locator("#hub-map path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "Centre de santé communautaire du Blosne" in popup.inner_text()
    assert (
        page.get_by_role("row", name="Lundi").inner_text().split("\t")[-1].strip()
        == "08h45–13h00, 14h00–19h00"
    )
    assert page.console_errors == []


def test_a_popup_shows_markup_in_a_hub_name_as_text(page, demo_server):
    hub = HubFactory(
        name='<img src=x onerror="document.body.dataset.owned=1">Pôle piégé',
        location=geo.point(lat=48.11, lng=-1.68),
    )
    page.goto(demo_server.url + hub.get_absolute_url())
    page.wait_for_function("document.getElementById('hub-map').dataset.markers === '1'")
    page.locator("#hub-map path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert '<img src=x onerror="document.body.dataset.owned=1">Pôle piégé' in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert page.evaluate("document.body.dataset.owned") is None
