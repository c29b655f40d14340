"""The printable district sheet for outreach workers: hubs with hours and phones, sourced figures, a QR code."""

import pytest
import segno

from tests.factories import HubFactory

pytestmark = pytest.mark.django_db
SHEET = "/districts/le-blosne/fiche/"


def test_the_sheet_lists_the_hubs_with_phones_and_hours_and_the_sourced_figures(client):
    page = client.get(SHEET).content.decode()
    assert "Se soigner au Blosne" in page
    assert "Centre de santé communautaire du Blosne" in page and 'href="tel:0299419510"' in page
    assert "08h45–13h00" in page
    assert "6,1" in page and "Ville de Rennes" in page  # the official figure, with its source
    assert "Données de démonstration" in page  # demo data stays labelled, on paper too


def test_the_qr_code_leads_back_to_the_live_page(client):
    page = client.get(SHEET).content.decode()
    expected = segno.make("http://testserver/districts/le-blosne/", error="m").svg_inline(
        scale=3, title="Page en ligne"
    )
    assert expected in page and "http://testserver/districts/le-blosne/" in page


def test_a_large_territory_prints_the_first_hubs_and_points_online_for_the_rest(
    client, monkeypatch, django_assert_max_num_queries
):
    from portal import views

    monkeypatch.setattr(views, "SHEET_HUBS", 2)
    HubFactory.create_batch(3, published=True)  # in Rennes, with the demo's hubs
    with django_assert_max_num_queries(15):
        response = client.get("/districts/rennes/fiche/")
    assert response.status_code == 200
    assert len(response.context["hubs"]) == 2
    assert "la liste complète est en ligne" in response.content.decode()


def test_the_territory_page_links_to_its_sheet_and_unknown_places_are_404(client):
    assert f'href="{SHEET}"' in client.get("/districts/le-blosne/").content.decode()
    assert client.get("/districts/atlantis/fiche/").status_code == 404
