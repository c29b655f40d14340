"""After the registries: who set each value, suggestions staff decide on, duplicate hubs merged."""

import pytest
from django.urls import reverse

from hubs.models import Hub, HubRedirect, RegistrySuggestion
from professionals.models import Membership
from programmes.models import Funding
from tests.factories import (
    FundingFactory,
    HubFactory,
    MembershipFactory,
    RegistrySuggestionFactory,
    ServiceFactory,
)
from tests.staff import BLOSNE, SABOURAUD, change_url, hub, hub_form, logged_in

pytestmark = pytest.mark.django_db


def test_a_save_in_the_admin_marks_the_values_changed_as_set_by_hand(client, editor, manager):
    data = hub_form(logged_in(client, manager))
    data["phone"] = "02 99 00 00 42"
    assert client.post(change_url(), data).status_code == 302
    assert hub().provenance["phone"]["by"] == "HUB"  # a manager: the hub itself
    data = hub_form(logged_in(client, editor))
    data["street"] = "2, place du Banat"
    client.post(change_url(), data)
    assert hub().provenance["street"]["by"] == "CITY" and hub().provenance["phone"]["by"] == "HUB"


def test_the_hub_page_says_where_each_fact_comes_from(client):
    blosne = hub()
    blosne.provenance = {
        "phone": {"by": "FINESS", "on": "2026-11-01"},
        "street": {"by": "FINESS", "on": "2026-11-01"},
        "tiers_payant": {"by": "CITY", "on": "2026-10-12"},
    }
    blosne.save()
    page = client.get(blosne.get_absolute_url()).content.decode()
    assert "Adresse, téléphone : FINESS (ministère de la Santé), extraction du 1er novembre 2026" in page
    assert "Tiers payant : la Ville, le 12 octobre 2026" in page


def test_an_editor_accepts_a_suggestion_and_the_registry_takes_the_field_back(admin_client):
    blosne = hub()
    blosne.provenance = {"phone": {"by": "CITY", "on": "2026-10-01"}}
    blosne.save()
    suggestion = RegistrySuggestionFactory(hub=blosne, field="phone", value="02 99 00 11 22")
    url = reverse("admin:hubs_registrysuggestion_changelist")
    response = admin_client.post(url, {"action": "accept", "_selected_action": [suggestion.pk]})
    assert response.status_code == 302
    blosne.refresh_from_db()
    assert blosne.phone == "02 99 00 11 22" and blosne.provenance["phone"] == {
        "by": "FINESS",
        "on": "2026-11-01",
    }
    suggestion.refresh_from_db()
    assert (
        suggestion.status == RegistrySuggestion.Status.ACCEPTED and suggestion.decided_by.username == "admin"
    )


def test_a_manager_decides_only_on_their_hubs(client, manager):
    theirs = RegistrySuggestionFactory(hub=hub(BLOSNE))
    other = RegistrySuggestionFactory(hub=hub(SABOURAUD))
    logged_in(client, manager)
    listed = client.get(reverse("admin:hubs_registrysuggestion_changelist")).context["cl"].queryset
    assert list(listed) == [theirs]
    client.post(
        reverse("admin:hubs_registrysuggestion_changelist"),
        {"action": "refuse", "_selected_action": [other.pk, theirs.pk]},
    )
    other.refresh_from_db()
    theirs.refresh_from_db()
    assert (
        other.status == RegistrySuggestion.Status.PENDING
        and theirs.status == RegistrySuggestion.Status.REJECTED
    )


def test_duplicates_are_listed_for_city_editors_only(client, editor, manager):
    near = HubFactory(name="Centre de santé communautaire du Blosne (antenne)", location=hub().location)
    same_siret = [
        HubFactory(siret="12345678900011", name="Cabinet A"),
        HubFactory(siret="12345678900011", name="Cabinet B"),
    ]
    url = reverse("admin:hubs_hub_duplicates")
    assert logged_in(client, manager).get(url).status_code == 403
    pairs = logged_in(client, editor).get(url).context["pairs"]
    found = {frozenset((p.first.pk, p.second.pk)): p.reason for p in pairs}
    assert found[frozenset((hub().pk, near.pk))] == "near"
    assert found[frozenset(h.pk for h in same_siret)] == "siret"


def test_a_merge_moves_everything_to_the_kept_hub_and_redirects_the_old_address(client, editor):
    keep, remove = (
        hub(),
        HubFactory(name="Centre du Blosne (doublon)", phone="02 00 00 00 00", siret="12345678900011"),
    )
    person = MembershipFactory(hub=remove).professional
    FundingFactory(hub=remove, year=2021)
    remove.services.add(ServiceFactory(slug="service-du-doublon"))
    remove.description = "changed"
    remove.save()
    old_slug, history = remove.slug, remove.history.count()
    kept_history = keep.history.count()
    url = reverse("admin:hubs_hub_merge", args=[keep.pk, remove.pk])
    assert "1 professionnel passe" in logged_in(client, editor).get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Hub.objects.filter(slug=old_slug).exists()
    keep.refresh_from_db()
    assert Membership.objects.filter(hub=keep, professional=person).exists()
    assert Funding.objects.filter(hub=keep, year=2021).exists()
    assert keep.services.filter(slug="service-du-doublon").exists()
    assert (
        keep.siret == "12345678900011" and keep.phone != "02 00 00 00 00"
    )  # empty fields filled, others kept
    assert keep.history.count() >= kept_history + history
    assert HubRedirect.objects.get(old_slug=old_slug).hub == keep
    response = client.get(f"/hubs/{old_slug}/")
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()


def test_merging_needs_a_city_editor(client, manager):
    url = reverse("admin:hubs_hub_merge", args=[hub(BLOSNE).pk, hub(SABOURAUD).pk])
    assert logged_in(client, manager).post(url).status_code == 403
    assert Hub.objects.filter(slug=SABOURAUD).exists()
