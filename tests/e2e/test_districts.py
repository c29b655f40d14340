import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_compare_le_blosne_and_villejean_reads_the_four_figures(page, site):
    page.goto(site.url + "/districts/compare/?territory=le-blosne&territory=villejean-beauregard")
    row = page.locator("tr.gp-official td")
    cells = [row.nth(i).inner_text() for i in range(row.count())]
    headers = page.locator("table.compare thead th").all_inner_texts()
    by_name = {h.split("\n")[0]: c for h, c in zip(headers, cells, strict=True)}
    # Every figure is shown with its source; the four of the Ville de Rennes page among them.
    assert "6,1 (Ville de Rennes" in by_name["Le Blosne"]
    assert "5,7 (Insee BPE 2016" in by_name["Le Blosne"]  # the other source, also shown
    assert "9,9 (Ville de Rennes" in by_name["Villejean - Beauregard"]
    assert "13,4 (Ville de Rennes" in by_name["Rennes"]
    assert "10,9 (Ville de Rennes" in by_name["France"]
    assert page.console_errors == []


def test_the_choropleth_colours_every_district_and_opens_one_on_click(page, site):
    page.goto(site.url + "/districts/")
    expect(page.locator("#districts-map")).to_have_attribute("data-districts", "25")
    with page.expect_navigation(url="**/districts/*/"):
        page.locator("#districts-map path.leaflet-interactive >> visible=true").first.click()
    assert page.locator("h1").inner_text()
    assert page.console_errors == []
