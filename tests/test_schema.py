"""Each field's role is declared once (hubs/schema.py, professionals/schema.py); everything else reads it."""

import pytest

from config.schema import EDITORS, MANAGERS
from hubs.admin import HubAdmin
from hubs.models import Hub
from hubs.schema import HUB_FIELDS
from opendata.serializers import HubSerializer, ProfessionalSerializer
from professionals.models import Professional
from professionals.schema import PROFESSIONAL_FIELDS


def model_fields(model) -> set[str]:
    return {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many and not f.auto_created}


@pytest.mark.parametrize("model, declared", [(Hub, HUB_FIELDS), (Professional, PROFESSIONAL_FIELDS)])
def test_every_field_has_a_declared_role_and_every_role_a_field(model, declared):
    assert model_fields(model) - set(declared) == set(), "declare the new field's role in its app's schema.py"
    assert set(declared) - model_fields(model) == set()


@pytest.mark.parametrize(
    "serializer, model, declared",
    [(HubSerializer, Hub, HUB_FIELDS), (ProfessionalSerializer, Professional, PROFESSIONAL_FIELDS)],
)
def test_the_open_data_shows_only_fields_declared_public(serializer, model, declared):
    shown = (
        set(serializer.Meta.fields) | ({"location"} if "position" in serializer.Meta.fields else set())
    ) & set(declared)
    assert shown and {name for name in shown if not declared[name].public} == set()


def test_the_hub_form_offers_every_field_staff_may_edit():
    in_form = {
        name
        for _title, options in HubAdmin.fieldsets
        for entry in options["fields"]
        for name in (entry if isinstance(entry, tuple) else (entry,))
    }
    editable = {name for name, role in HUB_FIELDS.items() if role.edit in (MANAGERS, EDITORS)}
    assert editable - in_form == set()


@pytest.mark.django_db
def test_a_manager_may_not_change_what_only_editors_decide(rf, manager):
    from django.contrib import admin

    request = rf.get("/")
    request.user = manager
    readonly = set(admin.site._registry[Hub].get_readonly_fields(request))
    assert {name for name, role in HUB_FIELDS.items() if role.edit == EDITORS} <= readonly
    assert not {name for name, role in HUB_FIELDS.items() if role.edit == MANAGERS} & readonly
