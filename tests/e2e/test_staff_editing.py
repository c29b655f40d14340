import json

import pyotp
import pytest
from django.core.management import call_command

from hubs.models import Hub

pytestmark = pytest.mark.e2e
PASSWORD = "Une-phrase-de-passe-solide-42"
BLOSNE = "centre-de-sante-communautaire-du-blosne"


def log_in(page, server, username, next_url):
    """Password, then the second factor: enrolled on the spot from the page's key (as a phone app would read
    the QR code), or the code of the device enrolled earlier."""
    page.goto(f"{server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    if "/second-factor/" in page.url:
        if "/enrol/" in page.url:
            SECRETS[username] = page.locator("#otp-secret").inner_text()
        page.fill("#id_code", pyotp.TOTP(SECRETS[username]).now())
        page.click("input[type=submit]")
        if page.locator("#recovery-codes").count():
            page.click("text=J'ai noté mes codes, continuer")


SECRETS = {}


def test_a_hub_manager_moves_the_marker_and_changes_the_hours(page, demo_server):
    call_command(
        "create_staff_account",
        "coordinatrice",
        "--role",
        "hub-manager",
        "--hub",
        BLOSNE,
        "--password",
        PASSWORD,
    )
    call_command("create_staff_account", "editrice", "--role", "city-editor", "--password", PASSWORD)
    hub = Hub.objects.get(slug=BLOSNE)
    change = f"/admin/hubs/hub/{hub.pk}/change/"
    log_in(page, demo_server, "coordinatrice", change)
    page.wait_for_url(f"**{change}")

    # Move the marker with the map's own edit tool: drag it 60 px to the east, then save the edit.
    page.locator(".leaflet-draw-edit-edit").click()
    marker = page.locator(".leaflet-marker-icon").first
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y, steps=5)
    page.mouse.move(x + 60, y, steps=5)
    page.mouse.up()
    page.locator(".leaflet-draw-actions a", has_text="Save").first.click()

    # Monday morning now ends at 12:30.
    page.locator("#id_opening_hours-0-closes").fill("12:30")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/hubs/hub/")
    assert "a été modifié" in page.locator(".messagelist").inner_text()

    hub.refresh_from_db()
    assert hub.location.x > -1.6593 + 0.0001 and abs(hub.location.y - 48.0846) < 0.001
    page.goto(f"{demo_server.url}/hubs/{BLOSNE}/")
    assert page.get_by_role("row", name="Lundi").inner_text().endswith("08h45–12h30, 14h00–19h00")
    shown = json.loads(page.locator("#hub-map-data").text_content())["features"][0]["geometry"]["coordinates"]
    assert shown[0] == pytest.approx(hub.location.x, abs=1e-5)

    page.context.clear_cookies()
    log_in(page, demo_server, "editrice", f"/admin/hubs/hub/{hub.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "coordinatrice" in history


def test_a_manager_is_refused_another_hubs_version_and_an_editor_restores_one(page, demo_server):
    from tests.staff import SABOURAUD, account

    account("coordinatrice", "--role", "hub-manager", "--hub", BLOSNE)
    account("editrice", "--role", "city-editor")
    other = Hub.objects.get(slug=SABOURAUD)
    revert = f"/admin/hubs/hub/{other.pk}/history/{other.history.earliest().history_id}/"

    log_in(page, demo_server, "coordinatrice", revert)
    page.wait_for_load_state()
    assert page.locator("#restore-form").count() == 0
    assert "Restaurer" not in page.locator("body").inner_text()
    response = page.request.post(f"{demo_server.url}{revert}", form={"version": str(other.version)})
    assert response.status in (403, 404)  # without a CSRF token too, but above all without the right

    # The city editor changes the phone, then brings the previous version back from the history.
    page.console_errors.clear()  # the manager's refusal above was a 404 page
    page.context.clear_cookies()
    log_in(page, demo_server, "editrice", f"/admin/hubs/hub/{other.pk}/change/")
    page.wait_for_url(f"**/admin/hubs/hub/{other.pk}/change/")
    page.locator("#id_phone").fill("02 00 00 00 42")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/hubs/hub/")
    page.goto(f"{demo_server.url}/admin/hubs/hub/{other.pk}/history/")
    assert "02 00 00 00 42" in page.locator("#change-history").inner_text()
    page.locator("#change-history a", has_text="Voir ou restaurer").last.click()
    assert "02 00 00 00 42" in page.locator("#restore-changes").inner_text()
    page.locator("#restore-form input[type=submit]").click()
    page.wait_for_url(f"**/admin/hubs/hub/{other.pk}/change/")
    assert "restaurée" in page.locator(".messagelist").inner_text()
    assert page.locator("#id_phone").input_value() == Hub.objects.get(pk=other.pk).phone != "02 00 00 00 42"
    assert not page.console_errors, page.console_errors  # CSP included: nothing refused in the admin


def test_an_editor_invites_a_manager_who_enrols_a_phone_and_edits_their_hub(
    page, browser, demo_server, settings
):
    import re

    from django.core import mail

    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }
    settings.SITE_URL = demo_server.url
    call_command("create_staff_account", "editrice", "--role", "city-editor", "--password", PASSWORD)

    # The editor (enrolling her own phone on the way) invites a manager for the Blosne centre.
    log_in(page, demo_server, "editrice", "/admin/portal/invitation/add/")
    page.wait_for_url("**/admin/portal/invitation/add/")
    page.fill("#id_email", "nouvelle@example.org")
    page.locator(".field-hubs .select2-selection").click()
    page.keyboard.type("Blosne")
    page.locator(".select2-results__option", has_text="Blosne").first.click()
    page.locator("input[name=_save]").click()
    assert "Invitation envoyée" in page.locator(".messagelist").inner_text()

    call_command("run_scheduled", verbosity=0)
    (invitation,) = [m for m in mail.outbox if m.to == ["nouvelle@example.org"]]
    link = re.search(r"(http://\S+/admin/invitation/\S+/)", invitation.body)[1]

    # The manager, in her own browser: the link, a password, her phone, then her hub.
    manager = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    manager.goto(link)
    manager.fill("#id_username", "nouvelle")
    manager.fill("#id_password", PASSWORD)
    manager.fill("#id_again", PASSWORD)
    manager.click("input[type=submit]")
    manager.wait_for_url("**/second-factor/enrol/**")
    secret = manager.locator("#otp-secret").inner_text()
    manager.fill("#id_code", pyotp.TOTP(secret).now())
    manager.click("input[type=submit]")
    assert manager.locator("#recovery-codes li").count() == 10
    manager.click("text=J'ai noté mes codes, continuer")
    hub = Hub.objects.get(slug=BLOSNE)
    manager.wait_for_url(f"**/admin/hubs/hub/{hub.pk}/change/")
    manager.locator("#id_phone").fill("02 99 00 00 77")
    manager.locator("input[name=_save]").click()
    manager.wait_for_url("**/admin/hubs/hub/")
    hub.refresh_from_db()
    assert hub.phone == "02 99 00 00 77" and hub.managers.filter(username="nouvelle").exists()
    manager.context.close()
