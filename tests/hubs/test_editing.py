"""City staff editing hubs: who reaches which page, live edits, conflicts, verification."""

import datetime
import html
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from hubs.models import Hub
from professionals.models import Membership
from tests.staff import BLOSNE, SABOURAUD, change_url, hub, hub_form, logged_in

pytestmark = pytest.mark.django_db


EDITING_URLS = [
    ("admin:hubs_hub_changelist", None),
    ("admin:hubs_hub_add", None),
    ("admin:hubs_hub_change", BLOSNE),
    ("admin:hubs_hub_history", BLOSNE),
    ("admin:hubs_hub_delete", BLOSNE),
    ("admin:hubs_hub_import", None),
    ("admin:districts_territory_changelist", None),
    ("admin:districts_densityfigure_changelist", None),
    ("admin:districts_aplfigure_changelist", None),
    ("admin:programmes_supportprogramme_changelist", None),
    ("admin:programmes_supportprogramme_add", None),
    ("admin:programmes_funder_changelist", None),
    ("admin:professionals_professional_changelist", None),
    ("admin:professionals_professional_import", None),
    ("admin:hubs_correctionrequest_changelist", None),
]


def url_for(name, slug):
    return reverse(name, args=[hub(slug).pk]) if slug else reverse(name)


@pytest.mark.parametrize("name, slug", EDITING_URLS)
def test_anonymous_visitors_get_the_login_page(client, name, slug):
    response = client.get(url_for(name, slug))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("name, slug", EDITING_URLS)
def test_staff_without_a_role_get_403(client, no_role, name, slug):
    assert logged_in(client, no_role).get(url_for(name, slug)).status_code == 403


@pytest.mark.parametrize("name, slug", EDITING_URLS)
def test_city_editors_reach_every_editing_url(client, editor, name, slug):
    assert logged_in(client, editor).get(url_for(name, slug)).status_code == 200


MANAGER_ALLOWED = {
    "admin:hubs_hub_changelist",
    "admin:hubs_hub_change",
    "admin:hubs_hub_history",
    "admin:hubs_correctionrequest_changelist",
    "admin:professionals_professional_changelist",  # read-only: to pick who practises in their hub
}


@pytest.mark.parametrize("name, slug", EDITING_URLS)
def test_hub_managers_reach_only_their_hub(client, manager, name, slug):
    status = logged_in(client, manager).get(url_for(name, slug)).status_code
    assert status == (200 if name in MANAGER_ALLOWED else 403), name


def test_a_manager_sees_and_edits_only_their_hubs(client, manager):
    client = logged_in(client, manager)
    listed = client.get(reverse("admin:hubs_hub_changelist")).context["cl"].result_list
    assert [h.slug for h in listed] == [BLOSNE]
    other = client.get(change_url(SABOURAUD))
    assert other.status_code == 302 and "/admin/" in other["Location"]  # "does not exist" for them
    data = hub_form(client)
    data["phone"] = "02 99 00 00 01"
    assert client.post(change_url(SABOURAUD), data).status_code in (302, 403)
    assert hub(SABOURAUD).phone == ""


def test_a_manager_edit_goes_live_and_is_in_the_history(client, manager):
    client = logged_in(client, manager)
    data = hub_form(client)
    data["phone"] = "02 99 41 95 11"
    data["opening_hours-0-closes"] = "12:30"
    data["published"] = ""  # read-only for managers: ignored
    response = client.post(change_url(), data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    saved = hub()
    assert saved.phone == "02 99 41 95 11" and saved.published and saved.version == 2
    assert saved.opening_hours.filter(closes="12:30").exists()
    record = saved.history.latest()
    assert record.history_user == manager and record.diff_against(record.prev_record).changed_fields == [
        "phone",
        "version",
    ]
    assert (
        client.get("/hubs/centre-de-sante-communautaire-du-blosne/").content.decode().count("02 99 41 95 11")
        >= 1
    )


def test_a_manager_cannot_create_delete_or_import(client, manager):
    client = logged_in(client, manager)
    person = Membership.objects.filter(hub__slug=BLOSNE).first().professional
    change_person = reverse("admin:professionals_professional_change", args=[person.pk])
    assert client.post(change_person, {"display_name": "Renommé"}).status_code == 403
    assert client.get(reverse("admin:hubs_hub_add")).status_code == 403
    assert client.post(reverse("admin:hubs_hub_delete", args=[hub().pk]), {"post": "yes"}).status_code == 403
    assert Hub.objects.filter(slug=BLOSNE).exists()


def test_the_second_of_two_concurrent_saves_sees_a_conflict_and_overwrites_nothing(client, editor, manager):
    from django.test import Client

    first, second = logged_in(Client(), editor), logged_in(Client(), manager)
    first_data, second_data = hub_form(first), hub_form(second)
    first_data["phone"] = "02 00 00 00 01"
    assert first.post(change_url(), first_data).status_code == 302
    second_data["phone"] = "02 00 00 00 02"
    response = second.post(change_url(), second_data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())  # form errors are escaped by Jinja2: &#39;, not &#x27;
    assert "modifié par quelqu'un d'autre" in page and "editrice" in page and "02 00 00 00 01" in page
    assert hub().phone == "02 00 00 00 01" and hub().version == 2


def test_an_ordinary_save_never_sets_the_verification_date(client, editor):
    client = logged_in(client, editor)
    data = hub_form(client)
    data["last_verified_on"] = "2026-01-01"
    client.post(change_url(), data)
    assert hub().last_verified_on is None


def test_mark_as_verified_in_bulk_and_the_stale_list(client, editor):
    client = logged_in(client, editor)
    stale = client.get(reverse("admin:hubs_hub_changelist"), {"verification": "stale"}).context["cl"]
    assert (
        stale.result_count == Hub.objects.exclude(kind=Hub.Kind.PHARMACY).count()
    )  # pharmacies: their registry
    checks = [h.last_verified_on for h in stale.result_list]
    assert checks == sorted(checks, key=lambda d: (d is not None, d))  # the never checked, then the oldest
    ids = [hub(BLOSNE).pk, hub(SABOURAUD).pk]
    response = client.post(
        reverse("admin:hubs_hub_changelist"), {"action": "mark_verified", "_selected_action": ids}
    )
    assert response.status_code == 302
    assert hub().last_verified_on == datetime.date.today() and hub().verified_by == editor
    still = client.get(reverse("admin:hubs_hub_changelist"), {"verification": "stale"}).context["cl"]
    assert still.result_count == Hub.objects.exclude(kind=Hub.Kind.PHARMACY).count() - 2
    assert not still.queryset.filter(slug=BLOSNE).exists()


def test_stale_report_groups_by_territory_and_editor(manager, capsys):
    Hub.objects.filter(slug=SABOURAUD).update(last_verified_on=datetime.date.today())
    Hub.objects.filter(slug="maison-de-sante-de-vern-sur-seiche").update(
        last_verified_on=datetime.date(2020, 1, 1)
    )
    out = io.StringIO()
    call_command("stale_report", stdout=out)
    report = out.getvalue()
    assert "Le Blosne — coordinatrice: 1" in report
    assert "Vern-sur-Seiche — (éditeurs de la ville): 1" in report and "2020-01-01" in report
    assert "Espace santé Olivier Sabouraud" not in report


def test_what_staff_read_is_in_words_not_codes(client, editor, manager):
    from django.test import Client

    from hubs.models import RegistrySuggestion

    first, second = logged_in(Client(), editor), logged_in(Client(), manager)
    first_data, second_data = hub_form(first), hub_form(second)
    first_data["accepting_new_patients"] = "NO" if first_data["accepting_new_patients"] != "NO" else "YES"
    assert first.post(change_url(), first_data).status_code == 302
    conflict = html.unescape(second.post(change_url(), second_data).content.decode())
    assert (
        "« YES »" not in conflict
        and "« NO »" not in conflict
        and ("« Non »" in conflict or "« Oui »" in conflict)
    )

    other = hub(SABOURAUD)
    refused = second.get(reverse("admin:hubs_hub_change", args=[other.pk]), follow=True)
    assert "vous n'en êtes pas gestionnaire" in html.unescape(refused.content.decode())
    assert "supprimé" not in refused.content.decode()

    RegistrySuggestion.objects.create(
        hub=hub(), field="phone", current="", value="02", source="FINESS", extracted_on="2026-11-01"
    )
    listing = first.get(reverse("admin:hubs_registrysuggestion_changelist")).content.decode()
    assert (
        "Téléphone" in listing
        and ">phone<" not in listing
        and "RECORD" not in listing.upper().split("<TH")[0]
    )
