import re

import pytest
from playwright.sync_api import expect

from config import geo
from hubs.models import Hub
from tests.factories import HubFactory

pytestmark = pytest.mark.e2e


def test_the_home_map_shows_the_demo_hubs_and_opens_a_hub_page(page, site):
    page.goto(site.url + "/")
    markers = page.locator("#home-map path.leaflet-interactive")
    markers.first.wait_for()
    assert markers.count() == Hub.objects.published().count()  # the demo's centres and Lille's pharmacies
    page.goto(site.url + "/hubs/centre-de-sante-communautaire-du-blosne/")
    expect(page.locator("#hub-map")).to_have_attribute("data-markers", "1")
    page.locator("#hub-map path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "Centre de santé communautaire du Blosne" in popup.inner_text()
    assert (
        page.get_by_role("row", name="Lundi").inner_text().split("\t")[-1].strip()
        == "08h45–13h00, 14h00–19h00"
    )
    assert page.console_errors == []


def test_a_popup_shows_markup_in_a_hub_name_as_text(page, live_server):
    hub = HubFactory(
        name='<img src=x onerror="document.body.dataset.owned=1">Pôle piégé',
        location=geo.point(lat=48.11, lng=-1.68),
    )
    page.goto(live_server.url + hub.get_absolute_url())
    expect(page.locator("#hub-map")).to_have_attribute("data-markers", "1")
    page.locator("#hub-map path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert '<img src=x onerror="document.body.dataset.owned=1">Pôle piégé' in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert page.evaluate("document.body.dataset.owned") is None


def test_a_national_view_shows_server_clusters_that_open_into_hubs_on_zoom(page, demo_server, monkeypatch):
    # The map version lives in the database cache: forgetting maps is a write the server must see (committed).
    from hubs import map_data

    monkeypatch.setattr(map_data, "CLUSTER_ABOVE", 3)  # the demo's places stand for a national directory
    map_data.forget_maps()
    page.goto(demo_server.url + "/")
    home_map = page.locator("#home-map")
    # The first answer, then the refetch for the view the map fitted to: both clustered.
    expect(home_map).to_have_attribute("data-loads", "2")
    expect(home_map).to_have_attribute("data-clusters", re.compile(r"^[1-9]"))
    published = str(Hub.objects.published().count())
    expect(home_map).to_have_attribute(
        "data-hubs", published
    )  # every hub counted once, in a cluster or alone
    expect(page.locator("#home-map .cluster-count").first).to_contain_text("lieux")
    monkeypatch.setattr(map_data, "CLUSTER_ABOVE", 1000)  # zoomed in: few enough to come apart
    map_data.forget_maps()
    cluster = page.locator(
        "#home-map path.leaflet-interactive[aria-describedby]"
    ).first  # clusters carry a tooltip
    cluster.click(force=True)  # neighbouring clusters' discs may overlap it
    expect(home_map).to_have_attribute("data-clusters", "0")
    assert int(home_map.get_attribute("data-markers")) >= 1
    assert page.console_errors == []
