"""The properties a review of the open-data, registry and merge work asked for, tried as each identity would:
an anonymous visitor, an API client, a hub manager, a city editor. Both databases run every test here."""

import base64
import csv
import io
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from config.history import GuardedHistoryAdmin
from config.http import take
from hubs.models import CorrectionRequest, Hub, RegistrySuggestion
from hubs.resources import HubResource
from professionals.models import Professional
from programmes.models import Funding
from tests.factories import (
    FundingFactory,
    HubFactory,
    MembershipFactory,
    ProfessionalFactory,
    RegistrySuggestionFactory,
)
from tests.staff import BLOSNE, SABOURAUD, account, admin_form_data, change_url, hub, hub_form, logged_in

pytestmark = pytest.mark.django_db
SECRET_NAME = "Maison Confidentielle Zéphyr"


# 1. A field a user may not read cannot narrow a list, a search or an export either.


def hidden_field_lookups(request):
    """(model admin, changelist URL, lookup) for every field an admin hides from this user, in a few forms."""
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, GuardedHistoryAdmin):
            continue
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for field in model_admin.hidden_fields(request):
            for lookup in [f"{field}=2028", f"{field}__isnull=False", f"{field}__lte=2030"]:
                yield model_admin, changelist, lookup


def test_a_manager_cannot_filter_or_export_by_a_field_hidden_from_them(client, manager, editor, rf):
    request = rf.get("/")
    request.user = manager
    tried = list(hidden_field_lookups(request))
    assert ("/admin/professionals/professional/", "planned_retirement_year=2028") in [t[1:] for t in tried]
    logged_in(client, manager)
    for model_admin, changelist, lookup in tried:
        assert client.get(f"{changelist}?{lookup}").status_code == 400, lookup
        if hasattr(model_admin, "export_action"):
            resource = model_admin.resource_classes[0]
            columns = {f"{resource.__name__.lower()}_{name}": "on" for name in resource._meta.fields}
            exported = client.post(
                f"{changelist}export/?{lookup}", {"format": "0", "resource": "0", **columns}
            )
            assert exported.status_code == 400, lookup
    through_memberships = "/admin/professionals/membership/?professional__planned_retirement_year=2028"
    assert client.get(through_memberships).status_code == 400
    # The editor, who may read the field, still filters by it.
    retiring = logged_in(client, editor).get(
        "/admin/professionals/professional/?planned_retirement_year=2028"
    )
    assert retiring.status_code == 200 and retiring.context["cl"].result_count > 0


# 2. Every redirect the site makes stays on the site.


@pytest.mark.parametrize(
    "path", ["//evil.example/", "/\\evil.example/", "///evil.example/", "//evil.example"]
)
def test_no_redirect_leaves_the_site(client, path):
    response = client.generic("GET", "/", PATH_INFO=path, HTTP_ACCEPT_LANGUAGE="en")
    if response.status_code in (301, 302):
        assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})
        assert not response["Location"].startswith(("//", "/\\"))
    else:
        assert response.status_code == 404


# 3 and 11. The name of a hub that is not published appears on no public page, feed, export or API answer.


def test_an_unpublished_hub_is_named_nowhere_public(client, editor):
    secret = HubFactory(name=SECRET_NAME, slug="maison-confidentielle", territory=hub(BLOSNE).territory)
    secret.description = "Mise à jour"
    secret.save()  # a change while published: in the territory's changes feed
    person = MembershipFactory(hub=hub(SABOURAUD)).professional
    MembershipFactory(hub=secret, professional=person)
    funding = FundingFactory(hub=secret, year=2025, note="Soutien au lancement")
    programme, territory = funding.programme, secret.territory
    assert SECRET_NAME in client.get(f"/programmes/{programme.slug}/").content.decode()  # shown while public

    data = hub_form(logged_in(client, editor), "maison-confidentielle")
    data["published"] = ""
    assert client.post(change_url("maison-confidentielle"), data).status_code == 302
    client.logout()
    urls = [
        f"/programmes/{programme.slug}/", f"/en/programmes/{programme.slug}/", f"/api/v1/programmes/{programme.pk}/",
        "/api/v1/programmes.csv", f"/districts/{territory.slug}/", f"/districts/{territory.slug}/changes.atom",
        f"/districts/{territory.parent.slug}/changes.atom", f"/hubs/?territory={territory.slug}",
        "/hubs/map.geojson", f"/professionals/{person.pk}/", f"/api/v1/professionals/{person.pk}/",
        f"/fhir/PractitionerRole?practitioner={person.pk}", "/fhir/Organization?name=Confidentielle",
        "/api/v1/hubs/?q=confidentielle", "/hubs/suggest/?q=Confidentielle", "/programmes/feed.atom",
        "/sitemap-hubs.xml",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert SECRET_NAME not in response.content.decode(), url


# 4. Security counters survive any cache traffic; simultaneous reports store at most the limit.


def test_the_report_limit_survives_a_flushed_cache_and_junk_map_requests(client, settings):
    settings.CORRECTIONS_PER_HOUR = 1
    url = reverse("hubs:report", args=[BLOSNE])
    assert client.post(url, {"message": "Horaires faux."}).status_code == 302
    for n in range(30):
        client.get("/hubs/map.geojson", {"n": n})
    cache.clear()  # whatever anonymous traffic does to the cache
    assert client.post(url, {"message": "Encore faux."}).status_code == 429
    assert CorrectionRequest.objects.count() == 1


def test_made_up_parameters_do_not_create_cache_entries(client):
    def cached() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM portal_cache")
            return cursor.fetchone()[0]

    client.get("/hubs/map.geojson")
    before = cached()
    for n in range(25):
        assert client.get("/hubs/map.geojson", {"n": n, "junk": "x" * n}).status_code == 200
    assert cached() == before


def test_an_unpublish_is_seen_on_the_map_even_when_the_cache_lost_its_version(client):
    cache.set("hubs-map-version", 1, None)
    name = hub(SABOURAUD).name
    assert name in client.get("/hubs/map.geojson").content.decode()  # cached under version 1
    cache.delete("hubs-map-version")  # a full cache culled the key, not the answers
    sabouraud = hub(SABOURAUD)
    sabouraud.published = False
    sabouraud.save()
    assert name not in client.get("/hubs/map.geojson").content.decode()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_store_at_most_the_limit(settings):
    settings.CORRECTIONS_PER_HOUR = 5
    target = HubFactory(name="Lieu très signalé")
    url = reverse("hubs:report", args=[target.slug])

    def report(_n):
        try:
            return (
                Client(raise_request_exception=False).post(url, {"message": "Tout est faux ici."}).status_code
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(report, range(20)))
    stored = CorrectionRequest.objects.filter(hub=target).count()
    assert answers.count(302) == stored <= 5
    if connection.vendor == "postgresql":  # SQLite's in-memory test database refuses concurrent writers (503)
        assert stored == 5 and answers.count(429) == 15


def test_a_counter_lets_exactly_the_limit_through():
    assert [take("test", "198.51.100.1", limit=3, seconds=60)[0] for _ in range(5)] == [True] * 3 + [
        False
    ] * 2


# 5. An import never republishes, reactivates or re-links what a person took out; it suggests.

FILES = Path(__file__).parents[1] / "hubs" / "registry_files"


def test_a_finess_import_does_not_reopen_a_hub_an_editor_closed(client, editor):
    call_command("import_finess", str(FILES / "finess_etalab.csv"), verbosity=0, stdout=io.StringIO())
    closed = Hub.objects.get(finess="350012345")
    data = hub_form(logged_in(client, editor), closed.slug)
    data.update(published="", status=Hub.Status.CLOSED)
    assert client.post(change_url(closed.slug), data).status_code == 302
    call_command("import_finess", str(FILES / "finess_etalab_later.csv"), verbosity=0, stdout=io.StringIO())
    closed.refresh_from_db()
    assert not closed.published and closed.status == Hub.Status.CLOSED
    suggestion = RegistrySuggestion.objects.get(hub=closed, field="status")
    assert suggestion.value == Hub.Status.OPEN and suggestion.status == RegistrySuggestion.Status.PENDING


def test_an_rpps_import_neither_reactivates_nor_relinks_what_an_editor_removed(client, editor):
    msp = HubFactory(
        name="MSP du Triangle", finess="350012345", street="3 place du Triangle", postcode="35200"
    )
    HubFactory(name="Centre des Champs-Manceaux", siret="55544433300021", postcode="35200")
    activities = FILES / "PS_LibreAcces_Personne_activite_202511040839.txt"
    call_command("import_rpps", str(activities), verbosity=0, stdout=io.StringIO())
    person = Professional.objects.get(rpps="10101234567")
    membership = person.memberships.get(hub=msp)
    logged_in(client, editor)
    deleted = client.post(
        reverse("admin:professionals_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    page = reverse("admin:professionals_professional_change", args=[person.pk])
    data = admin_form_data(client, page)
    data["active"] = ""
    assert client.post(page, data).status_code == 302
    person.refresh_from_db()
    assert not person.active

    report = io.StringIO()
    call_command("import_rpps", str(activities), verbosity=0, stdout=report)
    person.refresh_from_db()
    assert not person.active and not person.memberships.filter(hub=msp).exists()
    assert "1 links a person removed left out" in report.getvalue()
    assert RegistrySuggestion.objects.filter(professional=person, field="active", value="True").exists()


# 6. A manager can neither accept nor refuse a suggestion about a field they may not edit.


def test_a_manager_leaves_suggestions_on_editor_only_fields_to_editors(client, manager):
    blosne = hub()
    siret = RegistrySuggestionFactory(hub=blosne, field="siret", current="", value="12345678900011")
    phone = RegistrySuggestionFactory(hub=blosne, field="phone", value="02 99 00 11 22")
    url = reverse("admin:hubs_registrysuggestion_changelist")
    for action in ["accept", "refuse"]:
        logged_in(client, manager).post(url, {"action": action, "_selected_action": [siret.pk, phone.pk]})
    siret.refresh_from_db()
    phone.refresh_from_db()
    assert siret.status == RegistrySuggestion.Status.PENDING and hub().siret != "12345678900011"
    assert phone.status == RegistrySuggestion.Status.ACCEPTED and hub().phone == "02 99 00 11 22"


# 7. A merge changes who may edit what only when the editor ticks it.


@pytest.mark.parametrize("ticked", [False, True])
def test_a_merge_hands_over_managers_only_when_the_editor_ticks_it(client, editor, ticked):
    duplicate = HubFactory(name="Centre du Blosne (doublon)")
    intruder = account("intrus", "--role", "hub-manager", "--hub", duplicate.slug)
    url = reverse("admin:hubs_hub_merge", args=[hub().pk, duplicate.pk])
    page = logged_in(client, editor).get(url).content.decode()
    assert "intrus" in page and 'name="move_managers"' in page
    assert client.post(url, {"move_managers": "yes"} if ticked else {}).status_code == 302
    assert hub().managers.filter(pk=intruder.pk).exists() is ticked


# 8. Numbers stay numbers in every CSV; an unchanged export re-imports without a change.


def test_a_hub_export_reimports_unchanged_and_longitudes_stay_numbers(client, editor):
    Hub.objects.filter(slug=BLOSNE).update(phone="+33 2 99 00 00 00")
    every_column = {f"hubresource_{name}": "on" for name in HubResource._meta.fields}
    logged_in(client, editor)
    exported = client.post(reverse("admin:hubs_hub_export"), {"format": "0", "resource": "0", **every_column})
    body = exported.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    blosne = next(row for row in rows if row["slug"] == BLOSNE)
    assert float(blosne["lng"]) == pytest.approx(-1.6593) and blosne["phone"] == "'+33 2 99 00 00 00"
    versions = dict(Hub.objects.values_list("slug", "version"))
    upload = io.BytesIO(body)
    upload.name = "hubs.csv"
    preview = client.post(
        reverse("admin:hubs_hub_import"), {"resource": "0", "format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows[:1]
    assert {row.import_type for row in result.rows} == {"skip"}  # nothing differs from what is stored
    assert dict(Hub.objects.values_list("slug", "version")) == versions
    api = client.get("/api/v1/hubs.csv", {"territory": "le-blosne"}).content.decode("utf-8-sig")
    assert ";-1.6" in api and ";'-1." not in api


# 9. The professionals' territory filter counts published hubs only.


def test_the_territory_filter_does_not_reveal_where_someone_practises_unpublished(client):
    person = MembershipFactory(hub=hub(SABOURAUD), professional__display_name="Docteur Discrète").professional
    hidden = HubFactory(published=False, territory=hub(BLOSNE).territory)
    MembershipFactory(hub=hidden, professional=person)
    territory = hub(BLOSNE).territory.slug
    assert "Docteur Discrète" not in client.get("/professionals/", {"territory": territory}).content.decode()
    api = client.get("/api/v1/professionals/", {"territory": territory}).json()
    assert person.pk not in {record["id"] for record in api["results"]}


# 10. A change to a never-public field changes nothing public.


def test_a_retirement_year_change_leaves_every_public_date_alone(client, editor):
    person = MembershipFactory(hub=hub(SABOURAUD), professional__display_name="Docteur Zorglub").professional
    Professional.objects.filter(pk=person.pk).update(updated_at="2026-01-01T00:00:00Z")
    url = f"/api/v1/professionals/{person.pk}/"
    before = client.get(url)["Last-Modified"]
    page = reverse("admin:professionals_professional_change", args=[person.pk])
    data = admin_form_data(logged_in(client, editor), page)
    data["planned_retirement_year"] = 2029
    assert client.post(page, data).status_code == 302
    person.refresh_from_db()
    assert person.planned_retirement_year == 2029
    client.logout()
    assert client.get(url)["Last-Modified"] == before
    since = {"q": "zorglub", "modified_since": "2026-06-01T00:00:00Z"}
    assert client.get("/api/v1/professionals/", since).json()["results"] == []
    assert len(client.get("/api/v1/professionals/", {"q": "zorglub"}).json()["results"]) == 1


# 12. Atom summaries carry text, never the records' markup.


def test_feed_summaries_escape_what_records_say(client):
    blosne = hub()
    blosne.street = "<b>1 rue</b><script>alert(1)</script>"
    blosne.save()
    feed = client.get(f"/districts/{blosne.territory.slug}/changes.atom").content
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [entry.find(f"{atom}summary").text for entry in ET.fromstring(feed).iter(f"{atom}entry")]
    assert any("&lt;script&gt;" in s for s in summaries) and not any("<script" in s for s in summaries)


# 13 and 14. Public parameters: bounded, and malformed ones get a 4xx, never a 5xx.


@pytest.mark.parametrize(
    "url, status",
    [
        ("/fhir/Location?near=48.11|-1.68|101|km", 400),
        ("/fhir/Location?near=48.11|-1.68|100001|m", 400),
        ("/fhir/Location?near=48.11|-1.68|100|km", 200),
        ("/api/v1/hubs/?cursor=cD1hYmM=", 404),
        ("/api/v1/hubs/?cursor=" + base64.b64encode(b"p=" + b"9" * 30).decode(), 404),
        ("/fhir/PractitionerRole?practitioner=" + "9" * 30, 400),
        ("/fhir/PractitionerRole?organization=abc", 400),
        ("/fhir/Organization?_cursor=" + "9" * 30, 400),
        ("/fhir/Organization?_lastUpdated=ge0001-01-01", 200),
        ("/fhir/Organization?_lastUpdated=le9999-12-31", 200),
        ("/fhir/Organization/" + "9" * 30, 404),
        ("/professionals/" + "9" * 30 + "/", 404),
        ("/hubs/id/" + "9" * 30 + "/", 404),
        ("/api/v1/hubs/" + "9" * 30 + "/", 404),
        ("/api/v1/hubs/?modified_since=0001-01-01T00:00:00Z", 200),
        ("/api/schema/?lang=xx-made-up", 400),
    ],
)
def test_public_parameters_are_bounded_and_never_crash(url, status):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status, response.content[:300]


def test_the_schema_is_built_once_and_made_up_languages_leave_nothing_behind(client):
    from opendata.views import SchemaView

    SchemaView.built.clear()
    with mock.patch.object(
        SchemaView, "_get_schema_response", wraps=SchemaView()._get_schema_response
    ) as build:
        for _ in range(3):
            assert client.get("/api/schema/", {"lang": "en"}).status_code == 200
        assert build.call_count == 1
    catalogues = set(translation.trans_real._translations)
    for n in range(5):
        assert client.get("/api/schema/", {"lang": f"zz-{n}"}).status_code == 400
    assert set(translation.trans_real._translations) == catalogues


# 16. Staff sessions end; passwords are long.


@pytest.mark.parametrize("key, age, signed_in", [("signed_in_at", 13 * 3600, False), ("last_seen", 31 * 60, False), ("last_seen", 5 * 60, True)])  # fmt: skip
def test_staff_sessions_end_after_12_hours_or_30_idle_minutes(client, editor, key, age, signed_in):
    logged_in(client, editor)
    session = client.session
    session[key] = int(time.time()) - age
    session.save()
    response = client.get("/admin/")
    assert (response.status_code == 200) is signed_in
    if not signed_in:
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_passwords_need_twelve_characters():
    with pytest.raises(CommandError, match="12"):
        call_command(
            "create_staff_account",
            "courte",
            "--role",
            "city-editor",
            "--password",
            "Xq7#vLm2!pR",
            verbosity=0,
        )
    call_command(
        "create_staff_account", "longue", "--role", "city-editor", "--password", "Xq7#vLm2!pRz", verbosity=0
    )


# 17. Limits count an IPv6 client per /64; the page size is bounded; derived data holds on bulk paths.


def test_an_ipv6_client_is_limited_per_64_network(client, settings):
    settings.CORRECTIONS_PER_HOUR = 1
    url = reverse("hubs:report", args=[BLOSNE])

    def report(address):
        return client.post(url, {"message": "Horaires faux."}, REMOTE_ADDR=address).status_code

    assert report("2001:db8:1:2::1") == 302
    assert report("2001:db8:1:2:ffff::9") == 429  # the same subscriber, another address of theirs
    assert report("2001:db8:1:3::1") == 302


def test_api_pages_hold_at_most_100_records(client):
    HubFactory.create_batch(max(0, 110 - Hub.objects.published().count()))
    assert len(client.get("/api/v1/hubs/", {"page_size": 500}).json()["results"]) == 100


def test_search_text_and_listing_follow_people_and_hubs_on_every_path(client):
    orthoptist = ProfessionalFactory(profession__code="orthoptiste-test", profession__name="Orthoptiste")
    place = HubFactory(name="Lieu de test")
    MembershipFactory(hub=place, professional=orthoptist)
    place.refresh_from_db()
    assert "orthoptiste" in place.search_text
    orthoptist.active = False
    orthoptist.save()
    place.refresh_from_db()
    assert "orthoptiste" not in place.search_text  # who left is not searched for

    other = MembershipFactory(hub=HubFactory()).professional
    assert Professional.objects.public().filter(pk=other.pk).exists()
    Hub.objects.filter(memberships__professional=other).update(published=False)
    assert not Professional.objects.public().filter(pk=other.pk).exists()
    Hub.objects.filter(memberships__professional=other).update(published=True)
    assert Professional.objects.public().filter(pk=other.pk).exists()
    Professional.objects.filter(pk=other.pk).update(active=False)
    assert not Professional.objects.public().filter(pk=other.pk).exists()


def test_funding_public_rule_is_the_one_pages_and_api_read():
    hidden = FundingFactory(hub=HubFactory(published=False))
    assert hidden not in Funding.objects.public()
    assert Funding.objects.public().count() == Funding.objects.filter(hub__published=True).count()
