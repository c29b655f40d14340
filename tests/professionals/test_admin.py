"""Professionals in the admin: memberships limited to managed hubs, imports keyed by RPPS."""

import pytest
import tablib
from django.urls import reverse

from professionals.models import Membership
from tests.staff import BLOSNE, logged_in

pytestmark = pytest.mark.django_db


def test_membership_admin_is_limited_to_managed_hubs(client, manager):
    listed = logged_in(client, manager).get(reverse("admin:professionals_membership_changelist"))
    assert listed.status_code == 200
    assert {m.hub.slug for m in listed.context["cl"].result_list} == {BLOSNE}
    other = Membership.objects.exclude(hub__slug=BLOSNE).first()
    assert client.post(
        reverse("admin:professionals_membership_delete", args=[other.pk]), {"post": "yes"}
    ).status_code in (302, 403)
    assert Membership.objects.filter(pk=other.pk).exists()


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
