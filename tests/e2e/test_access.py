import datetime
import re

import pytest
from playwright.sync_api import expect

from districts.models import CompleteDirectory, Territory
from professionals.models import Profession

pytestmark = pytest.mark.e2e


def test_a_partner_clicks_the_map_and_reads_what_a_new_centre_would_change(page, site):
    from tests.e2e.axe import violations

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + "/acces/?around=le-blosne&gps=2")
    expect(page.get_by_role("heading", name=re.compile("meilleurs emplacements"))).to_be_visible()
    the_map = page.locator("#what-if-map")
    expect(the_map).to_have_attribute(
        "data-squares", re.compile(r"^[1-9]\d*$")
    )  # the quartier's squares drawn
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    the_map.scroll_into_view_if_needed()
    box = the_map.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"lat=48\.\d+&lng=-1\.\d+"))
    answer = page.get_by_role("region", name=re.compile("Un centre avec 2 médecins généralistes"))
    expect(answer).to_contain_text("Territoire : Le Blosne")
    # The demo's directory is not known to list every GP of Le Blosne: the residents around the point, no more.
    expect(answer.get_by_role("table", name=re.compile("de cet emplacement"))).to_contain_text(
        "moins de 500 m"
    )
    expect(answer).to_contain_text("n'est pas connu pour lister tous les médecins généralistes")
    expect(answer).not_to_contain_text("avec ce centre")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_a_territory_page_draws_the_access_map_beside_its_table(page, demo_server):
    """Once the city has established that the directory lists every GP of Vern-sur-Seiche."""
    vern = Territory.objects.get(slug="vern-sur-seiche")
    gp = Profession.objects.get(code="general-practitioner")
    CompleteDirectory.objects.create(
        territory=vern, profession=gp, source="la ville", as_of=datetime.date(2026, 11, 2)
    )
    page.goto(demo_server.url + "/districts/vern-sur-seiche/")
    expect(page.locator("#cells-map")).to_have_attribute("data-size", "200")
    expect(page.get_by_role("table", name=re.compile("Habitants à moins de"))).to_contain_text(
        "moins de 2 000 m"
    )
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []
