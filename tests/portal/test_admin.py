import html

import pytest
from django.contrib import admin
from django.urls import reverse

from hubs.models import CorrectionRequest, Hub, RegistryRefresh, RegistrySuggestion
from programmes.models import SupportProgramme

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"hubs", "districts", "professionals", "programmes"}
]


def admin_urls():
    for model in ADMIN_MODELS:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if model not in {
            CorrectionRequest,
            RegistrySuggestion,
            RegistryRefresh,
        }:  # those come from the public form, the imports, the monthly refresh
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_add")


def test_every_model_of_the_portal_is_in_the_admin():
    names = {m.__name__ for m in ADMIN_MODELS}
    assert {
        "Territory", "DensityFigure", "Hub", "Service", "Profession", "Professional", "Membership",
        "Funder", "SupportProgramme", "Funding", "SupportType", "Beneficiary",
    } <= names  # fmt: skip


def test_staff_can_open_every_admin_list_and_form(staff_client):
    for url in [*admin_urls(), reverse("admin:hubs_hub_duplicates")]:
        assert staff_client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_staff_without_permissions_cannot_edit_hubs(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="a-long-passphrase-42", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:hubs_hub_changelist")).status_code == 403


def test_the_hub_form_places_the_hub_on_a_leaflet_map_with_inlines(staff_client):
    hub = Hub.objects.get(slug="centre-de-sante-communautaire-du-blosne")
    page = staff_client.get(reverse("admin:hubs_hub_change", args=[hub.pk])).content.decode()
    assert "leaflet" in page.lower() and 'name="location"' in page
    for inline in ["opening_hours", "closures", "memberships"]:
        assert f'id="{inline}-group"' in page, inline
    # Fundings are edited with their programme, the app that owns them.
    programme = SupportProgramme.objects.get(slug="ville-de-rennes-poles-sante")
    page = staff_client.get(reverse("admin:programmes_supportprogramme_change", args=[programme.pk]))
    assert 'id="fundings-group"' in page.content.decode()


def test_the_territory_form_edits_the_boundary_on_a_map(staff_client):
    from districts.models import Territory

    blosne = Territory.objects.get(slug="le-blosne")
    page = staff_client.get(reverse("admin:districts_territory_change", args=[blosne.pk])).content.decode()
    assert 'name="boundary"' in page and "leaflet" in page.lower()


def test_staff_saving_a_hub_in_the_admin_assigns_its_district(staff_client):
    from districts.models import Territory

    response = staff_client.post(
        reverse("admin:hubs_hub_add"),
        {
            "name": "Maison de santé de Villejean",
            "slug": "maison-de-sante-de-villejean",
            "kind": "MSP",
            "status": "OPEN",
            "published": "on",
            "location": '{"type": "Point", "coordinates": [-1.7094, 48.1215]}',
            "accepting_new_patients": "UNKNOWN",
            "wheelchair_access": "YES",
            **dict.fromkeys(["entrance", "accessible_parking", "accessible_toilets", "hearing_loop", "staff_trained"], "UNKNOWN"),
            **{f"{prefix}-{k}": v for prefix in ["opening_hours", "closures", "memberships", "fundings"]
               for k, v in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()},
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    hub = Hub.objects.get(slug="maison-de-sante-de-villejean")
    assert hub.territory == Territory.objects.get(slug="villejean-beauregard")


def test_the_admin_home_starts_with_each_persons_work(client, manager, editor):
    from hubs.models import CorrectionRequest, Hub
    from tests.staff import BLOSNE, logged_in

    Hub.objects.filter(slug=BLOSNE).update(phone="")
    CorrectionRequest.objects.create(hub=Hub.objects.get(slug=BLOSNE), message="Horaires faux.")
    home = logged_in(client, manager).get(reverse("admin:index"))
    work = home.context["worklist"]
    (row,) = work["hubs"]
    assert row["hub"].slug == BLOSNE and "téléphone" in row["missing"]
    assert work["queues"][0]["count"] == 1
    assert "1 signalements d'habitants à traiter" in html.unescape(home.content.decode())
    from django.core.cache import cache

    from tests.factories import HubFactory

    cache.clear()
    HubFactory(siret="12345678900011", name="Cabinet A"), HubFactory(siret="12345678900011", name="Cabinet B")
    editor_home = logged_in(client, editor).get(reverse("admin:index")).context["worklist"]
    queues = {q["label"]: q for q in editor_home["queues"]}
    assert not editor_home["hubs"] and "suggestions des registres en attente" in queues
    duplicates = queues["lieux peut-être en double"]
    assert duplicates["count"] >= 1 and duplicates["url"] == reverse("admin:hubs_hub_duplicates")
