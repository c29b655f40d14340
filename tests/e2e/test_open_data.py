import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_reuser_reads_the_api_documentation_served_by_the_portal_under_its_csp(page, site):
    outside = []
    page.on("request", lambda r: r.url.startswith(site.url) or outside.append(r.url))
    page.goto(site.url + "/donnees/")
    page.get_by_role("link", name="Documentation de l'API").click()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/hubs/").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert outside == [] and page.console_errors == []
