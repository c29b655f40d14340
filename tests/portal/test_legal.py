"""The pages a French public site must publish, and the purge the personal data page promises."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from hubs.models import CorrectionRequest, Hub

pytestmark = pytest.mark.django_db
PAGES = {
    "/accessibilite/": "RGAA",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "CNIL",
}


def test_every_page_links_to_the_legal_pages_in_its_footer(client):
    for path in ["/", "/hubs/", "/districts/le-blosne/"]:
        page = client.get(path).content.decode()
        for legal in PAGES:
            assert f'href="{legal}"' in page


@pytest.mark.parametrize("path, text", PAGES.items())
def test_the_legal_pages_answer(client, path, text):
    response = client.get(path)
    assert response.status_code == 200 and text in response.content.decode()


def test_the_accessibility_statement_states_its_conformity_and_the_recourse(client):
    page = client.get("/accessibilite/").content.decode()
    assert "est non conforme au RGAA 4.1" in page and "Aucun audit de conformité" in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page


def test_the_legal_notice_names_the_publisher_or_says_it_is_a_demo(client, settings):
    assert (
        "cet annuaire n'est publié par aucune collectivité"
        in client.get("/mentions-legales/").content.decode()
    )
    settings.PUBLISHER = {**settings.PUBLISHER, "name": "Ville de Test", "director": "Camille Martin"}
    page = client.get("/mentions-legales/").content.decode()
    assert "Ville de Test" in page and "Camille Martin" in page and "aucune collectivité" not in page


def test_the_personal_data_page_gives_the_retention_the_purge_applies(client, settings):
    settings.CORRECTION_RETENTION_DAYS = 90
    assert (
        "Combien de temps : 90 jours après la réception"
        in client.get("/donnees-personnelles/").content.decode()
    )
    hub = Hub.objects.first()
    old = CorrectionRequest.objects.create(hub=hub, message="Ancien signalement")
    CorrectionRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )
    recent = CorrectionRequest.objects.create(hub=hub, message="Signalement récent")
    call_command("purge_corrections", "--dry-run", verbosity=0)
    assert CorrectionRequest.objects.count() == 2  # a dry run deletes nothing
    call_command("purge_corrections", verbosity=0)
    assert list(CorrectionRequest.objects.all()) == [recent]
