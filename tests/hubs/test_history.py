"""History pages and restores: readable, guarded, versioned, and complete (fields, links, hours, closures)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from hubs import services
from hubs.models import Hub, Service
from tests.staff import BLOSNE, admin_form_data, logged_in


def blosne():
    return Hub.objects.get(slug=BLOSNE)


def change_url():
    return reverse("admin:hubs_hub_change", args=[blosne().pk])


def restore_url(record):
    return reverse("admin:hubs_hub_simple_history", args=[record.instance.pk, record.history_id])


def edit(client, **changes):
    data = admin_form_data(client, change_url())
    data.update(changes)
    response = client.post(change_url(), data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    return blosne()


@pytest.mark.django_db
def test_an_editor_restores_fields_links_hours_and_closures_of_a_version(client, editor):
    client = logged_in(client, editor)
    original = blosne()
    first_version = original.history.latest()
    services_then = set(original.services.values_list("slug", flat=True))
    hours_then = sorted(original.opening_hours.values_list("weekday", "opens", "closes"))
    edited = edit(
        client,
        phone="02 00 00 00 09",
        accepting_new_patients="NO",
        services=[Service.objects.get(slug="sage-femme").pk],
        **{"opening_hours-0-closes": "11:00", "closures-TOTAL_FORMS": "1", "closures-0-starts_on": "2026-12-24",
           "closures-0-ends_on": "2026-12-26", "closures-0-reason": "Noël"},
    )  # fmt: skip
    assert edited.closures.count() == 1 and edited.version == first_version.version + 1

    page = client.get(restore_url(first_version)).content.decode()
    for shown in [
        "Téléphone",
        "02 00 00 00 09",
        "<td>Non</td><td>Oui</td>",
        "Services",
        "Horaires d&#x27;ouverture",
        "Noël",
    ]:
        assert shown in page, shown
    assert client.post(restore_url(first_version), {"version": edited.version}).status_code == 302

    restored = blosne()
    assert (
        restored.phone == original.phone
        and restored.accepting_new_patients == original.accepting_new_patients
    )
    assert set(restored.services.values_list("slug", flat=True)) == services_then
    assert sorted(restored.opening_hours.values_list("weekday", "opens", "closes")) == hours_then
    assert not restored.closures.exists()
    assert restored.version == edited.version + 1  # a restore is a new version, in the history too
    assert restored.history.latest().history_user == editor


@pytest.mark.django_db
def test_the_history_page_speaks_french_labels_and_values(client, editor):
    client = logged_in(client, editor)
    edit(client, accepting_new_patients="NO", phone="02 99 00 00 01", **{"opening_hours-0-closes": "11:30"})
    services.mark_verified(Hub.objects.filter(slug=BLOSNE), user=editor)
    page = client.get(reverse("admin:hubs_hub_history", args=[blosne().pk])).content.decode()
    assert "Accepte de nouveaux patients :</strong> Oui → Non" in page
    assert "Téléphone :</strong>" in page and "editrice" in page
    assert "11:30" in page  # the hours changed in the same save
    assert "Vérifié par :</strong> — → editrice" in page
    for raw in ["YES", "None", "Deleted", "PHONE", "accepting_new_patients"]:
        assert raw not in page.split('id="change-history"')[1], raw


@pytest.mark.django_db
def test_a_manager_restores_their_hub_but_never_the_fields_only_editors_set(client, editor, manager):
    first_version = blosne().history.latest()
    # The city unpublishes the hub and records its FINESS number, then the manager edits the phone.
    logged_in(client, editor)
    edit(client, published="", finess="350000001")
    logged_in(client, manager)
    edited = edit(client, phone="02 00 00 00 07")
    assert client.post(restore_url(first_version), {"version": edited.version}).status_code == 302
    restored = blosne()
    assert restored.phone == first_version.phone  # the manager's own field came back
    assert not restored.published and restored.finess == "350000001"  # the city's decisions did not


@pytest.mark.django_db
def test_a_restore_from_an_outdated_page_changes_nothing(client, editor):
    client = logged_in(client, editor)
    first_version = blosne().history.latest()
    edited = edit(client, phone="02 00 00 00 05")
    for stale in [first_version.version, 0, ""]:
        response = client.post(restore_url(first_version), {"version": stale}, follow=True)
        assert (
            response.status_code == 200
            and "modifié par quelqu" in response.content.decode()
            or ("ne dit pas de quelle version" in response.content.decode())
        )
        assert blosne().phone == "02 00 00 00 05" and blosne().version == edited.version


@pytest.mark.django_db
def test_a_form_without_its_version_is_a_conflict_not_a_blind_write(client, editor):
    client = logged_in(client, editor)
    data = admin_form_data(client, change_url())
    for version in ["", "0"]:
        response = client.post(change_url(), {**data, "version": version, "phone": "02 00 00 00 03"})
        assert response.status_code == 200 and "ne dit pas de quelle version" in response.content.decode()
    assert blosne().phone != "02 00 00 00 03"


@pytest.mark.django_db
def test_every_writer_checks_and_bumps_the_version():
    hub = blosne()
    stale = Hub.objects.get(pk=hub.pk)
    services.save_hub(hub, expected_version=hub.version)
    with pytest.raises(services.VersionConflict):
        services.save_hub(stale, expected_version=stale.version)
    with pytest.raises(services.VersionConflict):
        services.save_hub(stale, expected_version=None)
    before = blosne().version
    services.mark_verified(Hub.objects.filter(pk=hub.pk), user=None)
    assert blosne().version == before + 1 and blosne().last_verified_on == datetime.date.today()


@pytest.mark.django_db(transaction=True)
def test_restoring_works_in_a_real_transaction(client):
    """The suite usually runs inside one transaction; a restore must also hold on its own (PostgreSQL)."""
    from tests.staff import account

    call_command("load_demo", "--without-pharmacies", verbosity=0)  # the Blosne centre is what matters
    editor = account("editrice-tx", "--role", "city-editor")
    manager = account("gestion-tx", "--role", "hub-manager", "--hub", BLOSNE)
    first_version = blosne().history.latest()

    logged_in(client, editor)
    edit(client, phone="02 00 00 00 11", published="")
    logged_in(client, manager)
    edited = edit(client, phone="02 00 00 00 12")
    assert client.post(restore_url(first_version), {"version": edited.version}).status_code == 302
    assert blosne().phone == first_version.phone and not blosne().published  # own fields only

    logged_in(client, editor)
    current = blosne()
    assert client.post(restore_url(first_version), {"version": current.version}).status_code == 302
    assert blosne().published and blosne().version == current.version + 1
