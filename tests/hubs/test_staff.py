"""City staff: roles against every editing action, conflicts, history, verification, imports, corrections."""

import datetime
import io
import json
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from hubs.models import CorrectionRequest, Hub
from hubs.resources import HubResource
from hubs.services import OpeningHoursSyntaxError, parse_opening_hours
from professionals.models import Membership

pytestmark = pytest.mark.django_db
PASSWORD = "Une-phrase-de-passe-solide-42"
BLOSNE = "centre-de-sante-communautaire-du-blosne"
SABOURAUD = "espace-sante-olivier-sabouraud"
DATA = Path(settings.BASE_DIR) / "fixtures" / "data"


def account(username, *args):
    call_command("create_staff_account", username, "--password", PASSWORD, *args, verbosity=0)
    return get_user_model().objects.get(username=username)


@pytest.fixture
def editor():
    return account("editrice", "--role", "city-editor")


@pytest.fixture
def manager():
    return account("coordinatrice", "--role", "hub-manager", "--hub", BLOSNE)


@pytest.fixture
def no_role():
    return get_user_model().objects.create_user("stagiaire", password=PASSWORD, is_staff=True)


def logged_in(client, user):
    client.force_login(user)
    return client


def hub(slug=BLOSNE):
    return Hub.objects.get(slug=slug)


def change_url(slug=BLOSNE):
    return reverse("admin:hubs_hub_change", args=[hub(slug).pk])


def hub_form(client, slug=BLOSNE):
    return admin_form_data(client, change_url(slug))


def admin_form_data(client, url):
    """An admin change form (with its inlines) as a browser would submit it unchanged."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "geojson"):
            data[name] = value.geojson
        elif isinstance(value, list | tuple | set) or (hasattr(value, "all") and not isinstance(value, str)):
            data[name] = [getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)]
        else:
            data[name] = "" if value is None else getattr(value, "pk", value)
    inlines = response.context.get("inline_admin_formsets", [])
    for formset in inlines:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form.instance.pk if name == "id" else inline_form.initial.get(name)
                data[f"{inline_form.prefix}-{name}"] = "" if value is None else getattr(value, "pk", value)
    return data


EDITING_URLS = [
    ("admin:hubs_hub_changelist", None),
    ("admin:hubs_hub_add", None),
    ("admin:hubs_hub_change", BLOSNE),
    ("admin:hubs_hub_history", BLOSNE),
    ("admin:hubs_hub_delete", BLOSNE),
    ("admin:hubs_hub_import", None),
    ("admin:districts_territory_changelist", None),
    ("admin:districts_densityfigure_changelist", None),
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

    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(manager)
    first_data, second_data = hub_form(first), hub_form(second)
    first_data["phone"] = "02 00 00 00 01"
    assert first.post(change_url(), first_data).status_code == 302
    second_data["phone"] = "02 00 00 00 02"
    response = second.post(change_url(), second_data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "modifié par quelqu&#x27;un d&#x27;autre" in page and "editrice" in page and "02 00 00 00 01" in page
    )
    assert hub().phone == "02 00 00 00 01" and hub().version == 2


def test_history_shows_changed_fields_and_restores_a_version(client, editor):
    client = logged_in(client, editor)
    data = hub_form(client)
    data["phone"] = "02 00 00 00 09"
    client.post(change_url(), data)
    history = client.get(reverse("admin:hubs_hub_history", args=[hub().pk])).content.decode()
    assert "02 00 00 00 09" in history and "editrice" in history
    original = hub().history.earliest()
    revert_url = reverse("admin:hubs_hub_simple_history", args=[hub().pk, original.history_id])
    revert_data = admin_form_data(client, revert_url)
    assert client.post(revert_url, revert_data).status_code == 302
    assert hub().phone == "02 99 41 95 10"


def test_an_ordinary_save_never_sets_the_verification_date(client, editor):
    client = logged_in(client, editor)
    data = hub_form(client)
    data["last_verified_on"] = "2026-01-01"
    client.post(change_url(), data)
    assert hub().last_verified_on is None


def test_mark_as_verified_in_bulk_and_the_stale_list(client, editor):
    client = logged_in(client, editor)
    stale = (
        client.get(reverse("admin:hubs_hub_changelist"), {"verification": "stale"}).context["cl"].result_list
    )
    assert len(stale) == Hub.objects.count()
    ids = [hub(BLOSNE).pk, hub(SABOURAUD).pk]
    response = client.post(
        reverse("admin:hubs_hub_changelist"), {"action": "mark_verified", "_selected_action": ids}
    )
    assert response.status_code == 302
    assert hub().last_verified_on == datetime.date.today() and hub().verified_by == editor
    still = (
        client.get(reverse("admin:hubs_hub_changelist"), {"verification": "stale"}).context["cl"].result_list
    )
    assert BLOSNE not in [h.slug for h in still] and len(still) == Hub.objects.count() - 2


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


HEADER = "slug;name;kind;status;street;postcode;city;lat;lng;territory;phone;email;website;services;tiers_payant;accepting_new_patients;accepting_as_of;wheelchair_access;languages;published;finess"


def dataset(*rows):
    text = "\n".join([HEADER, *rows])
    data = tablib.Dataset()
    data.load(text, format="csv", delimiter=";")
    return data


GOOD_ROW = "msp-test-import;MSP Test Import;MSP;OPEN;2 rue Test;35000;Rennes;48.1215;-1.7094;;02 00 00 00 00;;;medecine-generale|sage-femme;1;YES;;YES;français;1;"


def test_import_dry_run_reports_row_errors_and_writes_nothing():
    before = Hub.objects.count()
    result = HubResource().import_data(
        dataset(GOOD_ROW, "msp-sans-position;Sans position;MSP;OPEN;;;Rennes;;;;;;;;0;UNKNOWN;;UNKNOWN;;1;"),
        dry_run=True,
    )
    assert result.has_errors() or result.has_validation_errors()
    messages = " ".join(str(e.error) for row in result.row_errors() for e in row[1])
    assert "Coordonnées manquantes" in messages
    assert Hub.objects.count() == before


def test_an_import_with_any_bad_row_writes_nothing_and_a_good_one_updates_by_slug():
    before = Hub.objects.count()
    HubResource().import_data(
        dataset(GOOD_ROW, GOOD_ROW.replace("msp-test-import", "x").replace("48.1215", "999"))
    )
    assert Hub.objects.count() == before
    result = HubResource().import_data(dataset(GOOD_ROW))
    assert not result.has_errors() and not result.has_validation_errors()
    imported = Hub.objects.get(slug="msp-test-import")
    assert imported.territory.slug == "villejean-beauregard"
    assert set(imported.services.values_list("slug", flat=True)) == {"medecine-generale", "sage-femme"}
    HubResource().import_data(dataset(GOOD_ROW.replace("2 rue Test", "4 rue Test")))
    assert (
        Hub.objects.filter(name="MSP Test Import").count() == 1
        and Hub.objects.get(slug="msp-test-import").street == "4 rue Test"
    )


def test_the_admin_import_page_previews_before_confirming(client, editor):
    client = logged_in(client, editor)
    upload = io.BytesIO(("\ufeff" + HEADER + "\n" + GOOD_ROW + "\n").encode())
    upload.name = "lieux.csv"
    response = client.post(
        reverse("admin:hubs_hub_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert response.status_code == 200
    assert (
        "MSP Test Import" in response.content.decode()
        and not Hub.objects.filter(slug="msp-test-import").exists()
    )


def test_export_gives_every_hub_with_coordinates(client, editor):
    rows = HubResource().export(queryset=Hub.objects.filter(slug=BLOSNE))
    assert rows.dict[0]["lat"] == 48.0846 and rows.dict[0]["lng"] == -1.6593


def test_a_valid_correction_is_queued_for_managers_and_editors(client, manager):
    response = client.post(
        reverse("hubs:report", args=[BLOSNE]), {"message": "Le téléphone a changé.", "contact": ""}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Merci") >= 1
    assert CorrectionRequest.objects.get().hub.slug == BLOSNE
    listed = (
        logged_in(client, manager)
        .get(reverse("admin:hubs_correctionrequest_changelist"))
        .context["cl"]
        .result_list
    )
    assert len(listed) == 1


@pytest.mark.parametrize(
    "data, status, text",
    [
        ({"message": "Le téléphone a changé.", "website": "http://spam.example"}, 400, "envoi automatique"),
        ({"message": "x" * 2001}, 400, "2000"),
        ({"message": ""}, 400, "obligatoire"),
    ],
)
def test_spam_and_bad_corrections_are_refused_and_nothing_is_stored(client, data, status, text):
    response = client.post(reverse("hubs:report", args=[BLOSNE]), data)
    assert response.status_code == status and text in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_corrections_are_rate_limited_per_address(client, settings):
    cache.clear()
    settings.CORRECTIONS_PER_HOUR = 2
    url = reverse("hubs:report", args=[BLOSNE])
    for _ in range(2):
        assert client.post(url, {"message": "Horaires faux ce samedi."}).status_code == 302
    response = client.post(url, {"message": "Encore un signalement."})
    assert response.status_code == 429 and "plus tard" in response.content.decode()
    assert CorrectionRequest.objects.count() == 2


def test_the_correction_form_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(reverse("hubs:report", args=[BLOSNE]), {"message": "Horaires faux."}).status_code == 403
    )


def test_repeated_failed_logins_lock_the_account(client, editor):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "editrice", "password": "wrong"})
    response = client.post(url, {"username": "editrice", "password": PASSWORD})
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()


def test_accounts_follow_the_password_validators():
    with pytest.raises(CommandError, match="trop courant|too common|court"):
        call_command(
            "create_staff_account", "faible", "--role", "city-editor", "--password", "password", verbosity=0
        )
    with pytest.raises(CommandError, match="needs at least one --hub"):
        call_command(
            "create_staff_account", "x", "--role", "hub-manager", "--password", PASSWORD, verbosity=0
        )


def test_membership_admin_is_limited_to_managed_hubs(client, manager):
    listed = logged_in(client, manager).get(reverse("admin:professionals_membership_changelist"))
    assert listed.status_code == 200
    assert {m.hub.slug for m in listed.context["cl"].result_list} == {BLOSNE}
    other = Membership.objects.exclude(hub__slug=BLOSNE).first()
    assert client.post(
        reverse("admin:professionals_membership_delete", args=[other.pk]), {"post": "yes"}
    ).status_code in (302, 403)
    assert Membership.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30", {0: 2, 4: 2, 5: 1}),
        ("Mo-Fr 09:00-12:30,14:00-19:30, Sa 09:00-12:30", {0: 2, 5: 1}),
        ("Mo-Sa 08:30-13:00, 14:00-19:30; Sa 09:00-13:00", {0: 2, 5: 1}),  # ';' replaces Saturday
        ("Mo 09:30-12:30, Tu-Sa 09:00-12:30, Mo-Fr 14:00-19:30, Sa 14:30-18:30", {0: 2, 1: 2, 5: 2}),
        ("Mo-Su 08:30-20:00; PH off", {6: 1}),
        ("24/7", {0: 1, 6: 1}),
        ("Mo-Fr 09:00-12:30,14:00-19:30; Su off", {6: 0}),
    ],
)
def test_osm_opening_hours(text, expected):
    week = parse_opening_hours(text)
    for day, count in expected.items():
        assert len(week.get(day, [])) == count, (text, day, week.get(day))


@pytest.mark.parametrize("text", ["sunrise-sunset", "Mo-Fr 9h-12h", "Xx 09:00-10:00", "Mo 12:00-09:00"])
def test_unreadable_opening_hours_raise(text):
    with pytest.raises(OpeningHoursSyntaxError):
        parse_opening_hours(text)


def test_import_pharmacies_on_the_real_file(client):
    call_command("import_pharmacies", DATA / "lille_mel_pharmacies.json", verbosity=0)
    pharmacies = Hub.objects.filter(kind=Hub.Kind.PHARMACY)
    assert pharmacies.count() == 349  # 351 records, two share a FINESS number
    flamande = pharmacies.get(finess="590021051")
    assert flamande.name == "Pharmacie Flamande" and flamande.opening_hours.filter(weekday=5).exists()
    assert pharmacies.filter(wheelchair_access="YES").count() > 40
    assert pharmacies.filter(territory__slug="wazemmes").exists()
    call_command("import_pharmacies", DATA / "lille_mel_pharmacies.json", verbosity=0)
    assert pharmacies.count() == 349
    near = client.get("/hubs/", {"lat": "50.6246", "lng": "3.0499", "radius_km": "1", "kind": "PHARMACY"})
    assert near.context["page"].paginator.count > 3
    geojson = json.loads(client.get("/hubs/map.geojson", {"kind": "PHARMACY"}).content)
    assert len(geojson["features"]) == 349


def test_a_broken_pharmacy_file_writes_nothing(tmp_path):
    path = tmp_path / "pharmacies.json"
    path.write_text(
        json.dumps(
            [
                {"fields": {"osm_id": "node/1", "name": "A"}, "geometry": {"coordinates": [3.0, 50.6]}},
                {"fields": {"osm_id": "node/2"}},
            ]
        )
    )
    with pytest.raises(CommandError, match=r"record 2 \(node/2\): geometry.coordinates is missing"):
        call_command("import_pharmacies", path, verbosity=0)
    assert not Hub.objects.filter(kind=Hub.Kind.PHARMACY).exists()


def test_professionals_import_by_rpps_updates_instead_of_duplicating():
    from professionals.models import Professional
    from professionals.resources import ProfessionalResource

    def load(*rows):
        data = tablib.Dataset()
        data.load(
            "\n".join(
                [
                    "rpps,display_name,profession,languages,accepting_new_patients,accepting_as_of,active",
                    *rows,
                ]
            ),
            format="csv",
        )
        return data

    good = "10000000042,Dr Import,general-practitioner,français,YES,,1"
    result = ProfessionalResource().import_data(load(good, "12,Dr Faux,general-practitioner,,YES,,1"))
    assert result.has_errors() or result.has_validation_errors()
    assert not Professional.objects.filter(rpps="10000000042").exists()  # one bad row: nothing written
    assert not ProfessionalResource().import_data(load(good)).has_validation_errors()
    ProfessionalResource().import_data(load(good.replace("Dr Import", "Dr Importée")))
    assert list(Professional.objects.filter(rpps="10000000042").values_list("display_name", flat=True)) == [
        "Dr Importée"
    ]
