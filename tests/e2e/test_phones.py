"""Every public page fits a phone: nothing scrolls sideways at 320, 375 or 768 px (tables scroll in their box);
and axe-core finds nothing, of any impact, at 375 and 1280 px."""

import pytest
from playwright.sync_api import expect

from professionals.models import Professional
from tests.e2e.axe import violations

pytestmark = [pytest.mark.e2e, pytest.mark.layout]
WIDTHS = [320, 375, 768]
AXE_WIDTHS = [375, 1280]
PAGES = [
    "/",
    "/hubs/",
    "/hubs/?q=kine&tiers_payant=on&service=mediation-sante",
    "/hubs/?lat=48.1215&lng=-1.7094&radius_km=10",
    "/hubs/?around=villejean-beauregard&radius_km=10",
    "/hubs/centre-de-sante-communautaire-du-blosne/",
    "/hubs/compare/?hub=centre-de-sante-communautaire-du-blosne&hub=espace-sante-olivier-sabouraud"
    "&hub=maison-de-sante-de-vern-sur-seiche&lat=48.1215&lng=-1.7094",
    "/professionals/",
    "/districts/",
    "/districts/le-blosne/",
    "/districts/le-blosne/fiche/",
    "/districts/rennes/",
    "/districts/france/",
    "/districts/compare/?territory=le-blosne&territory=villejean-beauregard&territory=rennes",
    "/districts/vern-sur-seiche/",
    "/acces/?around=le-blosne&gps=2",
    "/acces/?lat=48.08&lng=-1.65&gps=3",
    "/programmes/",
    "/programmes/psla-normandie/",
    "/programmes/ville-de-lille-poles-ressources-sante/",
    "/programmes/?for_territory=vern-sur-seiche",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/donnees/",
    "/en/",
    "/en/hubs/centre-de-sante-communautaire-du-blosne/",
    "/une-page-qui-n-existe-pas/",
]


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return max(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"), 0)


@pytest.mark.parametrize("path", PAGES)
def test_no_public_page_scrolls_sideways_on_a_phone(page, site, path):
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")  # maps drawn; and no request left running into the next test
    expect(page.locator("h1")).to_be_visible()
    too_wide, found = {}, {}
    for width in [*WIDTHS, 1280]:
        page.set_viewport_size({"width": width, "height": 800})
        if width in WIDTHS:
            too_wide[width] = overflow(page)
        if width in AXE_WIDTHS:  # and not one accessibility finding, of any impact, on a phone or a desktop
            found[width] = violations(page)
    assert too_wide == dict.fromkeys(WIDTHS, 0)
    assert found == dict.fromkeys(AXE_WIDTHS, [])
    expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert page.console_errors == (expected if path == PAGES[-1] else [])


def test_a_professional_page_fits_a_phone(page, site):
    professional = Professional.objects.public().order_by("pk").first()
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site.url + professional.get_absolute_url())
    expect(page.locator("h1")).to_have_text(professional.display_name)
    assert overflow(page) == 0


def test_on_a_phone_the_first_results_come_before_the_map_with_call_and_directions(page, site):
    import datetime

    import time_machine

    # A Monday morning, when the Blosne centre is open: at lunch or at night the "tonight" box comes first, on
    # purpose (tests/e2e/test_resident_search.py).
    monday_morning = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(monday_morning, tick=True):
        results_first(page, site)


def results_first(page, site):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + "/hubs/?q=blosne")
    first = page.locator(".cards > li").first
    expect(first.get_by_role("link", name="Appeler le 02 99 41 95 10")).to_have_attribute(
        "href", "tel:0299419510"
    )
    expect(
        first.get_by_role("link", name="Itinéraire jusqu'à Centre de santé communautaire du Blosne")
    ).to_be_visible()
    assert first.bounding_box()["y"] < page.locator("#search-map").bounding_box()["y"]
    expect(
        first.get_by_role("heading")
    ).to_be_in_viewport()  # results start on the first screen, not the form
    page.get_by_text("Modifier la recherche").click()  # the folded form opens where it was
    expect(page.get_by_role("searchbox", name="Recherche")).to_have_value("blosne")
    page.set_viewport_size({"width": 1280, "height": 800})  # side by side with room
    assert abs(first.bounding_box()["y"] - page.locator("#search-map").bounding_box()["y"]) < 200


@pytest.mark.parametrize(
    "url, value, label",
    [
        (PAGES[6], "Tiers payant", "Maison de santé de Vern-sur-Seiche"),
        ("/professionals/", None, "Où consulter"),
    ],
)
def test_on_a_phone_compare_and_the_professionals_read_down_the_page_not_sideways(
    page, site, url, value, label
):
    """Each value under its column's name (a hub's, or Profession, Où consulter…), nothing to scroll in the box."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + url)
    table = page.locator("table.stacked")
    assert table.evaluate("t => t.scrollWidth - t.clientWidth") <= 0
    row = table.locator("tbody tr").filter(has_text=value) if value else table.locator("tbody tr").first
    cell = row.locator(f'td[data-label="{label}"]')
    assert cell.evaluate("c => getComputedStyle(c, '::before').content") == f'"{label}"'
    cells = row.locator("td").all()
    assert len({round(c.bounding_box()["x"]) for c in cells}) == 1  # one column: under each other
    page.set_viewport_size({"width": 1280, "height": 800})  # a real table again when there is room
    assert len({round(c.bounding_box()["x"]) for c in row.locator("td").all()}) == len(cells)
