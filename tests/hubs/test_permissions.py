"""Every editing path × every kind of visitor: who gets in, and that hub B never changes behind the rules.

Hub A (Le Blosne) is the manager's; hub B (Olivier Sabouraud) is not. Runs on PostGIS and SpatiaLite.
"""

import io

import pytest
from django.urls import reverse

from hubs.models import Hub
from professionals.models import Membership, Professional
from tests.staff import BLOSNE, SABOURAUD, admin_form_data, logged_in

pytestmark = pytest.mark.django_db


def hub_b():
    return Hub.objects.get(slug=SABOURAUD)


def state_of_b():
    """Everything of hub B an editing path could touch."""
    b = hub_b()
    return (
        [getattr(b, f.attname) for f in Hub._meta.concrete_fields if f.name != "search_text"],
        sorted(b.services.values_list("pk", flat=True)),
        sorted(b.managers.values_list("pk", flat=True)),
        sorted(b.opening_hours.values_list("weekday", "opens", "closes")),
        sorted(b.memberships.values_list("professional_id", "role")),
        Membership.objects.filter(hub=b).count(),
    )


def csv_upload(slug, version):
    row = f"{slug};Lieu écrasé;MSP;OPEN;1 rue X;35000;Rennes;48.1215;-1.7094;;;;;;0;UNKNOWN;;UNKNOWN;;0;;{version}"
    header = (
        "slug;name;kind;status;street;postcode;city;lat;lng;territory;phone;email;website;services;"
        "tiers_payant;accepting_new_patients;accepting_as_of;wheelchair_access;languages;published;finess;version"
    )
    upload = io.BytesIO(f"{header}\n{row}\n".encode())
    upload.name = "lieux.csv"
    return upload


@pytest.fixture
def b_form(client, editor):
    """Hub B's change form as an editor would post it, with a new phone number and unpublished."""
    data = admin_form_data(logged_in(client, editor), reverse("admin:hubs_hub_change", args=[hub_b().pk]))
    client.logout()
    data.update(phone="06 66 66 66 66", published="")
    return data


def b_record():
    return hub_b().history.earliest()


def b_membership():
    return Membership.objects.filter(hub__slug=SABOURAUD).first()


# (label, method, url, data): data is a callable so that each case builds it against the current rows.
CASES = [
    ("change B", "get", lambda: reverse("admin:hubs_hub_change", args=[hub_b().pk]), None),
    ("change B", "post", lambda: reverse("admin:hubs_hub_change", args=[hub_b().pk]), "b_form"),
    ("add", "get", lambda: reverse("admin:hubs_hub_add"), None),
    ("add", "post", lambda: reverse("admin:hubs_hub_add"), lambda: {"name": "Nouveau", "slug": "nouveau", "kind": "MSP"}),
    ("delete B", "get", lambda: reverse("admin:hubs_hub_delete", args=[hub_b().pk]), None),
    ("delete B", "post", lambda: reverse("admin:hubs_hub_delete", args=[hub_b().pk]), lambda: {"post": "yes"}),
    ("history B", "get", lambda: reverse("admin:hubs_hub_history", args=[hub_b().pk]), None),
    ("revert B", "get", lambda: reverse("admin:hubs_hub_simple_history", args=[hub_b().pk, b_record().history_id]), None),
    ("revert B", "post", lambda: reverse("admin:hubs_hub_simple_history", args=[hub_b().pk, b_record().history_id]),
     lambda: {"version": hub_b().version, "phone": "06 66 66 66 66", "published": ""}),
    ("import", "get", lambda: reverse("admin:hubs_hub_import"), None),
    ("import", "post", lambda: reverse("admin:hubs_hub_import"),
     lambda: {"import_file": csv_upload(SABOURAUD, hub_b().version), "format": "0", "resource": "0"}),
    ("export", "get", lambda: reverse("admin:hubs_hub_export"), None),
    ("export", "post", lambda: reverse("admin:hubs_hub_export"),
     lambda: {"format": "0", "resource": "0", "hubresource_slug": "on", "hubresource_name": "on"}),
    ("verify B", "post", lambda: reverse("admin:hubs_hub_changelist"),
     lambda: {"action": "mark_verified", "_selected_action": [hub_b().pk]}),
    ("autocomplete hubs", "get", lambda: reverse("admin:autocomplete"),
     lambda: {"app_label": "professionals", "model_name": "membership", "field_name": "hub", "term": "sant"}),
    ("membership add on B", "post", lambda: reverse("admin:professionals_membership_add"),
     lambda: {"professional": Professional.objects.first().pk, "hub": hub_b().pk, "role": "x", "days_present": "0"}),
    ("membership of B", "post", lambda: reverse("admin:professionals_membership_change", args=[b_membership().pk]),
     lambda: {"professional": b_membership().professional_id, "hub": hub_b().pk, "role": "changé", "days_present": "0"}),
    ("membership of B history", "get",
     lambda: reverse("admin:professionals_membership_history", args=[b_membership().pk]), None),
    ("membership of B revert", "post",
     lambda: reverse("admin:professionals_membership_simple_history",
                     args=[b_membership().pk, b_membership().history.earliest().history_id]), lambda: {}),
    ("professional change", "post",
     lambda: reverse("admin:professionals_professional_change", args=[b_membership().professional_id]),
     lambda: {"display_name": "Renommé", "profession": b_membership().professional.profession_id}),
    ("accounts", "get", lambda: reverse("admin:auth_user_changelist"), None),
    ("lockouts", "get", lambda: reverse("admin:axes_accessattempt_changelist"), None),
]  # fmt: skip

# What a hub manager may open at all (their own records are filtered in each page).
MANAGER_OPEN = {("export", "get"), ("export", "post"), ("autocomplete hubs", "get")}
# Actions a manager is not offered: posting one just shows their list again.
MANAGER_NOT_OFFERED = {("verify B", "post")}
ROLES = ["anonymous", "no_role", "manager", "editor"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label, method, url, data", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_permission_matrix(client, request, role, label, method, url, data):
    payload = request.getfixturevalue(data) if isinstance(data, str) else data() if data else None
    if role != "anonymous":
        logged_in(client, request.getfixturevalue(role))
    before = state_of_b()
    response = getattr(client, method)(url(), payload or {})
    status = response.status_code

    if role == "anonymous":
        assert status == 302 and response["Location"].startswith("/admin/login/"), (label, status)
    elif role == "no_role":
        assert status == 403, (label, status)
    elif role == "manager":
        if (label, method) in MANAGER_NOT_OFFERED:
            assert status == 200 and "mark_verified" not in response.content.decode(), label
        elif (label, method) in MANAGER_OPEN:
            assert status == 200, (label, status)
            body = response.content.decode("utf-8-sig")
            assert "Sabouraud" not in body and "Olivier" not in body, label  # only their own hub
        else:
            # Refused outright, or answered as if hub B did not exist (the admin's redirect or a 404),
            # or the form refused (a hub they do not manage is not a valid choice).
            body = response.content.decode()
            shown_refusal = (
                "errornote" in body or 'class="warning"' in body
            )  # a form error, an unknown action
            assert status in (302, 403, 404) or (status == 200 and shown_refusal), (label, status)
            if status == 302:
                assert response["Location"] in ("/admin/", reverse("admin:hubs_hub_changelist")), label
    else:
        assert status in (200, 302), (label, status)
    if role != "editor":
        assert state_of_b() == before, f"{role} changed hub B through {label} ({method})"


def test_the_editor_really_can_do_what_the_matrix_refuses_to_others(client, editor, b_form):
    """The same requests succeed for a city editor: the refusals above are the rules, not broken pages."""
    client = logged_in(client, editor)
    assert client.post(reverse("admin:hubs_hub_change", args=[hub_b().pk]), b_form).status_code == 302
    assert hub_b().phone == "06 66 66 66 66" and not hub_b().published
    record = hub_b().history.earliest()
    url = reverse("admin:hubs_hub_simple_history", args=[hub_b().pk, record.history_id])
    assert client.post(url, {"version": hub_b().version}).status_code == 302
    assert hub_b().phone != "06 66 66 66 66" and hub_b().published


def test_a_manager_may_edit_and_restore_only_their_own_hub(client, manager):
    client = logged_in(client, manager)
    blosne = Hub.objects.get(slug=BLOSNE)
    assert client.get(reverse("admin:hubs_hub_history", args=[blosne.pk])).status_code == 200
    record = blosne.history.earliest()
    page = client.get(reverse("admin:hubs_hub_simple_history", args=[blosne.pk, record.history_id]))
    assert page.status_code == 200  # no 500 from the slug's prepopulated field any more


def test_hub_managers_never_see_planned_retirements(client, manager, editor):
    person = Membership.objects.filter(hub__slug=BLOSNE).first().professional
    url = reverse("admin:professionals_professional_change", args=[person.pk])
    assert "planned_retirement_year" not in logged_in(client, manager).get(url).content.decode()
    assert "planned_retirement_year" in logged_in(client, editor).get(url).content.decode()
    Professional.objects.filter(pk=person.pk).update(planned_retirement_year=2031)
    person.refresh_from_db()
    person.planned_retirement_year = 2040
    person.save()
    history = logged_in(client, manager).get(
        reverse("admin:professionals_professional_history", args=[person.pk])
    )
    assert history.status_code == 200 and "2040" not in history.content.decode()
