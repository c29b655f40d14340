"""Staff accounts: lockout after failed logins, password rules."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.staff import PASSWORD

pytestmark = pytest.mark.django_db


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
