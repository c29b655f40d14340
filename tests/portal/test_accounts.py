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


# Two-factor sign-in (django-otp): a password alone opens nothing of the admin for those who must use it.


def sign_in(client, username):
    return client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"}
    )


def test_an_editor_with_the_right_password_gets_no_admin_page_before_enrolling(client, editor):
    response = sign_in(client, "editrice")
    assert response.status_code == 302 and "/admin/second-factor/enrol/" in response["Location"]
    for url in [
        "/admin/",
        "/admin/hubs/hub/",
        "/admin/professionals/professional/?planned_retirement_year=2028",
    ]:
        refused = client.get(url, follow=True)
        assert "/admin/second-factor/enrol/" in refused.redirect_chain[-1][0], url
        assert "Activer la double authentification" in refused.content.decode()


def test_enrolment_with_a_phone_app_then_codes_and_recovery_codes(client, editor, settings):
    import pyotp

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code makes the next one wait a second otherwise

    sign_in(client, "editrice")
    page = client.get(reverse("admin:second_factor_enrol"))
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    secret = page.context["secret"]
    assert client.post(reverse("admin:second_factor_enrol"), {"code": "000000"}).status_code == 200
    done = client.post(reverse("admin:second_factor_enrol"), {"code": pyotp.TOTP(secret).now()})
    codes = done.context["codes"]
    assert len(codes) == 10 and client.get("/admin/").status_code == 200

    client.logout()
    assert "/admin/second-factor/?" in sign_in(client, "editrice")["Location"]
    assert client.get("/admin/").status_code == 302
    assert (
        client.post(reverse("admin:second_factor"), {"code": codes[0]}).status_code == 302
    )  # a recovery code
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in(client, "editrice")
    reused = client.post(reverse("admin:second_factor"), {"code": codes[0]})
    assert reused.status_code == 200 and "pas le bon" in reused.content.decode()  # single use


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, editor, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=editor, name="téléphone", confirmed=True)
    sign_in(client, "editrice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("admin:second_factor"), {"code": "123456"}).status_code == 200
    locked = client.post(reverse("admin:second_factor"), {"code": "123456"})
    assert locked.status_code == 429 and "Trop de tentatives" in locked.content.decode()
    assert client.get("/admin/").status_code == 302  # signed out


@pytest.mark.parametrize("required", [False, True])
def test_hub_managers_are_offered_the_second_factor_or_required_to_use_it(
    client, manager, settings, required
):
    settings.STAFF_2FA_FOR_MANAGERS = required
    response = sign_in(client, "coordinatrice")
    assert ("/second-factor/enrol/" in response["Location"]) is required
    assert (client.get("/admin/").status_code == 200) is not required


def test_an_editor_resets_a_lost_phone(client, editor, manager):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.staff import logged_in

    TOTPDevice.objects.create(user=manager, name="téléphone", confirmed=True)
    url = reverse("admin:auth_user_changelist")
    logged_in(client, editor).post(url, {"action": "reset_second_factor", "_selected_action": [manager.pk]})
    assert not TOTPDevice.objects.filter(user=manager).exists()
    client.logout()
    assert sign_in(client, "coordinatrice")["Location"] == "/admin/"  # no device, not required: straight in
