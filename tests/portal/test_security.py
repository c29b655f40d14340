"""Headers, client addresses, error pages, geometry input and CSV output: the portal's defences."""

import csv
import io
import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from config.http import client_ip
from districts.models import Territory
from hubs.models import CorrectionRequest, Hub
from programmes.models import Funding
from tests.staff import BLOSNE, PASSWORD, admin_form_data, logged_in

pytestmark = pytest.mark.django_db


def test_public_and_admin_pages_carry_a_strict_csp_and_a_permissions_policy(client, editor):
    for response in [
        client.get("/"),
        client.get(f"/hubs/{BLOSNE}/"),
        logged_in(client, editor).get("/admin/"),
    ]:
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "geolocation=(self)" in response["Permissions-Policy"]


def test_every_inline_script_on_a_map_page_carries_the_nonce(client):
    response = client.get(f"/hubs/{BLOSNE}/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        if "src=" in opening or 'type="application/json"' in opening or "application/ld+json" in opening:
            continue
        assert f'nonce="{nonce}"' in opening, opening
    assert ' style="' not in page.split("<body", 1)[1]


def test_the_proxy_header_is_believed_only_with_a_configured_proxy(settings):
    assert settings.SECURE_PROXY_SSL_HEADER is None or settings.TRUSTED_PROXIES


@pytest.mark.parametrize(
    "trusted, remote, forwarded, expected",
    [
        ([], "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # no proxy configured: the header is a client's claim
        (["10.0.0.2"], "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        (["10.0.0.2"], "10.0.0.2", "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # the left part is forged
        (["10.0.0.0/24"], "10.0.0.2", "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies of ours
        (["10.0.0.2"], "198.51.100.4", "203.0.113.7", "198.51.100.4"),  # not through our proxy
        (["10.0.0.2"], "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_trusted_proxies_only(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_the_proxy_each_resident_has_their_own_correction_limit(client, settings):
    cache.clear()
    settings.TRUSTED_PROXIES, settings.CORRECTIONS_PER_HOUR = ["10.0.0.2"], 1
    url = reverse("hubs:report", args=[BLOSNE])

    def report(address):
        return client.post(
            url, {"message": "Horaires faux."}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert report("203.0.113.7") == 302 and report("203.0.113.7") == 429
    assert report("198.51.100.4") == 302  # someone else, through the same proxy
    assert CorrectionRequest.objects.count() == 2


def test_behind_the_proxy_a_stranger_cannot_lock_a_staff_account_out(client, settings, editor):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            login, {"username": "editrice", "password": "wrong"}, REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )  # fmt: skip
    editor_browser = Client()
    response = editor_browser.post(
        login, {"username": "editrice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )  # fmt: skip
    assert response.status_code == 302  # the editor, from their own address, still gets in


def test_unknown_pages_are_a_french_404(client):
    response = client.get("/hubs/atlantis/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_a_crash_is_a_french_500_and_a_database_outage_a_503_with_retry_after(settings):
    settings.DEBUG = False
    browser = Client(raise_request_exception=False)
    with mock.patch("portal.views.Hub.objects.published", side_effect=ValueError("bug")):
        crash = browser.get("/")
    assert crash.status_code == 500 and "Une erreur est survenue" in crash.content.decode()
    with mock.patch("portal.views.Hub.objects.published", side_effect=OperationalError("server closed")):
        outage = browser.get("/")
    assert outage.status_code == 503 and outage["Retry-After"] == "120"
    assert "momentanément indisponible" in outage.content.decode()


@pytest.mark.parametrize(
    "coordinates",
    [[500, 95], [1e300, 1e300], [-1.66, 91], [-181, 48]],
    ids=["500,95", "1e300", "lat91", "lng-181"],
)
def test_positions_out_of_range_are_refused_with_a_message(client, editor, coordinates):
    client = logged_in(client, editor)
    url = reverse("admin:hubs_hub_change", args=[Hub.objects.get(slug=BLOSNE).pk])
    data = admin_form_data(client, url)
    data["location"] = json.dumps({"type": "Point", "coordinates": coordinates})
    response = client.post(url, data)
    assert response.status_code == 200 and "Coordonnées hors limites" in response.content.decode()
    assert Hub.objects.get(slug=BLOSNE).location.x == pytest.approx(-1.6593)


def test_a_territory_file_with_coordinates_out_of_range_imports_nothing(tmp_path):
    from config.imports import ImportProblem
    from districts.imports import import_territories

    path = tmp_path / "bad.geojson"
    ring = [[1e300, 1e300], [1e300 + 1, 1e300], [1e300, 1e300 + 1], [1e300, 1e300]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": "X", "code": "1"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    ]}))  # fmt: skip
    before = Territory.objects.count()
    with pytest.raises(ImportProblem, match="feature 1.*hors limites"):
        import_territories(path=path, level="DISTRICT", parent=None, name_field="nom", code_field="code")
    assert Territory.objects.count() == before


def test_the_hub_export_is_formula_safe_semicolon_separated_utf8_with_bom(client, editor):
    Hub.objects.filter(slug=BLOSNE).update(name='=HYPERLINK("http://evil","x")')
    from hubs.resources import HubResource

    every_column = {f"hubresource_{name}": "on" for name in HubResource._meta.fields}
    response = logged_in(client, editor).post(
        reverse("admin:hubs_hub_export"), {"format": "0", "resource": "0", **every_column}
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffslug;name;")
    names = [row[1] for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")]
    assert '\'=HYPERLINK("http://evil","x")' in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_a_hub_with_fundings_or_reports_is_unpublished_not_deleted(client, editor):
    from django.db.models import ProtectedError

    hub = Hub.objects.filter(fundings__isnull=False).first()
    assert hub is not None and Funding.objects.filter(hub=hub).exists()
    page = logged_in(client, editor).post(reverse("admin:hubs_hub_delete", args=[hub.pk]), {"post": "yes"})
    assert page.status_code == 200 and Hub.objects.filter(pk=hub.pk).exists()
    with pytest.raises(ProtectedError):
        Territory.objects.get(slug="le-blosne").densities.first().territory.delete()


def test_city_editors_add_hub_managers_and_lift_lockouts_without_a_shell(client, editor, django_user_model):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Group

    from config.roles import CITY_EDITORS, HUB_MANAGERS

    client = logged_in(client, editor)
    created = client.post(
        reverse("admin:auth_user_add"),
        {"username": "nouvelle", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert created.status_code == 302
    nouvelle = django_user_model.objects.get(username="nouvelle")
    assert nouvelle.is_staff and not nouvelle.is_superuser
    change = reverse("admin:auth_user_change", args=[nouvelle.pk])
    managers, editors = Group.objects.get(name=HUB_MANAGERS), Group.objects.get(name=CITY_EDITORS)
    form = {"username": "nouvelle", "is_active": "on", "groups": [managers.pk], "is_superuser": "on"}
    assert client.post(change, form).status_code == 302
    nouvelle.refresh_from_db()
    assert list(nouvelle.groups.all()) == [managers] and not nouvelle.is_superuser
    refused = client.post(change, {**form, "groups": [editors.pk]})
    assert refused.status_code == 200 and not nouvelle.groups.filter(pk=editors.pk).exists()
    boss = django_user_model.objects.create_superuser("chef", "chef@example.org", PASSWORD)
    assert client.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code == 302  # not theirs

    attempt = AccessAttempt.objects.create(username="nouvelle", ip_address="203.0.113.7", failures_since_start=5,
                                           get_data="", post_data="", user_agent="x", path_info="/admin/login/")  # fmt: skip
    lift = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert lift.status_code == 302 and not AccessAttempt.objects.exists()


def test_a_csv_upload_is_read_whatever_its_separator():
    from config.spreadsheet import SpreadsheetCSV

    for text in ["a;b\n1;2\n", "a,b\n1,2\n", "\ufeffa;b\n1;2\n"]:
        dataset = SpreadsheetCSV().create_dataset(io.BytesIO(text.encode()).getvalue())
        assert dataset.headers == ["a", "b"] and list(dataset[0]) == ["1", "2"]
