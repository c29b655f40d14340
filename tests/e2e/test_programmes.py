import pytest

pytestmark = pytest.mark.e2e


def test_a_partner_filters_by_a_normandie_commune_and_finds_the_psla_ceiling(page, site):
    page.goto(site.url + "/programmes/")
    page.get_by_label("Territoire du projet").fill("Vire Normandie")
    page.get_by_role("button", name="Filtrer").click()
    card = page.locator("ul.cards > li", has_text="Pôles de santé libéraux et ambulatoires")
    assert "jusqu'à 250 000 € par projet" in card.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    card.get_by_role("link").first.click()
    assert page.locator("h1").inner_text() == "Pôles de santé libéraux et ambulatoires (PSLA) en Normandie"
    assert page.console_errors == []


def test_a_project_leader_in_vern_asks_which_programmes_apply(page, site):
    page.goto(site.url + "/programmes/")
    page.get_by_label("Le projet est situé à").fill("Vern-sur-Seiche")
    page.get_by_label("Le projet est porté par").select_option("HEALTH_CENTRES")
    page.get_by_role("button", name="Voir les programmes ouverts").click()
    assert "1 programme ouvert s'applique à votre projet" in page.locator(".project").inner_text()
