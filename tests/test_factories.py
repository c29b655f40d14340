"""Every model of the portal's apps has a factory that builds a valid, saved record."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db
PORTAL_APPS = ["accounts", "districts", "professionals", "hubs", "programmes"]
FACTORIES = {
    f._meta.model: f
    for _, f in inspect.getmembers(factories, inspect.isclass)
    if issubclass(f, factory.django.DjangoModelFactory) and f._meta.model is not None
}


def portal_models():
    return [
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


def test_every_model_has_a_factory():
    assert [m.__name__ for m in portal_models() if m not in FACTORIES] == []


@pytest.mark.parametrize("model", portal_models(), ids=lambda m: m.__name__)
def test_each_factory_saves_a_record_that_passes_validation(model):
    record = FACTORIES[model]()
    record.full_clean()
    assert model.objects.filter(pk=record.pk).exists()
