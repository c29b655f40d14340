import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_resident_finds_a_kine_near_villejean_sorted_by_distance(page, site):
    page.goto(site.url + "/hubs/")
    page.get_by_role("searchbox", name="Recherche").fill("kiné")
    around = page.get_by_label("Autour de")
    around.press_sequentially("Villej")  # suggestions as one types, from /districts/suggest/
    suggestion = page.locator("#id_around-suggestions option").first
    expect(suggestion).to_have_attribute("value", "Villejean - Beauregard (Quartier ou commune)")
    around.fill(suggestion.get_attribute("value"))
    page.get_by_label("Rayon (km)").fill("15")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"q=kin"))
    cards = page.locator("ul.cards > li h3")
    assert cards.first.inner_text() == "Espace santé Olivier Sabouraud"
    distances = page.locator("ul.cards > li strong").all_inner_texts()
    assert all(text.startswith("à ") for text in distances) and len(distances) == cards.count() == 2
    assert "Maison de santé de Vern-sur-Seiche" in cards.all_inner_texts()[1]
    expect(page.locator("#search-map")).to_have_attribute("data-markers", "2")
    assert page.locator("#search-map path.leaflet-interactive").count() >= 2  # markers and the radius circle
    assert page.console_errors == []


def test_a_resident_opens_a_hub_and_reads_its_hours_and_state(page, site):
    page.goto(site.url + "/hubs/?q=blosne")
    page.get_by_role("link", name="Centre de santé communautaire du Blosne", exact=True).click()
    assert page.get_by_role("row", name="Mardi").inner_text().endswith("08h45–13h00, 14h00–19h00")
    state = page.locator(".badge-open, .badge-closed").first.inner_text()
    assert state in ("Ouvert en ce moment", "Fermé en ce moment")
    assert page.console_errors == []


def test_a_resident_compares_two_hubs_from_the_results(page, site):
    page.goto(site.url + "/hubs/?service=sage-femme")
    page.get_by_label("Comparer").first.check()
    page.get_by_label("Comparer").nth(1).check()
    page.get_by_role("button", name="Comparer les lieux cochés").click()
    assert page.locator("caption").inner_text() == "2 lieux côte à côte"
    assert page.locator("table.compare thead th").count() == 2
    assert page.console_errors == []


def test_the_search_form_works_with_the_keyboard_alone(page, site):
    page.goto(site.url + "/hubs/")
    page.keyboard.press("Tab")  # skip link
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
        if focused[-1] == "q":
            break
    assert focused[-1] == "q"
    page.keyboard.type("sage femme")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=sage"))
    assert "Centre de santé communautaire du Blosne" in page.locator("ul.cards").inner_text()
    # Focus leaves the map too: tabbing from the map reaches the results.
    page.focus("#search-map")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('ul.cards')"):
            break
    assert page.evaluate("!!document.activeElement.closest('ul.cards')")


def test_on_a_phone_on_sunday_night_a_hub_says_whom_to_call_before_anything_else(page, site):
    import datetime

    import time_machine

    from tests.e2e.axe import violations

    sunday_night = datetime.datetime(2026, 11, 29, 21, 0, tzinfo=datetime.UTC)  # 22:00 in Rennes
    with time_machine.travel(sunday_night, tick=True):  # the live server reads the same clock
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(site.url + "/hubs/centre-de-sante-communautaire-du-blosne/")
        expect(page.get_by_text("ouvre demain à 8 h 45")).to_be_in_viewport()
        expect(page.get_by_role("link", name="Appeler le 02 99 41 95 10")).to_be_in_viewport()
        expect(page.get_by_text("Rendez-vous par téléphone uniquement")).to_be_in_viewport()
        tonight = page.get_by_role("complementary", name="Rien d'ouvert près d'ici en ce moment ?")
        expect(tonight.get_by_role("link", name="116 117")).to_have_attribute("href", "tel:116117")
        expect(tonight.get_by_role("link", name="SMS au 114")).to_have_attribute("href", "sms:114")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert violations(page) == []
        page.goto(site.url + "/hubs/?q=blosne")  # the same box above the results
        page.wait_for_load_state("networkidle")  # the map's data fetched: no request runs into the next test
        expect(
            page.get_by_role("complementary", name="Rien d'ouvert près d'ici en ce moment ?")
        ).to_be_visible()
    assert page.console_errors == []


def test_on_a_phone_a_hub_page_says_which_bus_stops_are_near_and_shows_them_on_its_map(page, site):
    from tests.e2e.axe import violations

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + "/hubs/maison-de-sante-de-vern-sur-seiche/")
    transit = page.get_by_role("region", name="Venir en transports en commun")
    transit.scroll_into_view_if_needed()
    first = transit.get_by_role("listitem").first
    expect(first).to_contain_text("La Poste — 120 m, environ 3 min à pied")
    line_73 = transit.get_by_role("list", name="Lignes à l'arrêt La Poste").get_by_text("bus 73")
    expect(line_73).to_be_visible()
    # The feed's colour for line 73 (BF82B2), as a stripe beside the line's name.
    assert line_73.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(191, 130, 178)"
    stops = transit.locator(".stops > li").count()
    expect(page.locator("#hub-map")).to_have_attribute("data-stops", str(stops))
    expect(page.locator("#hub-map")).to_have_attribute("data-markers", "1")
    page.locator("#hub-map .leaflet-interactive").nth(1).click(force=True)  # the nearest stop's marker
    expect(page.locator(".leaflet-popup-content")).to_contain_text("La Poste")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert violations(page) == []
    assert page.console_errors == []
