"""Staff read the admin and their mail in their language: the one of their invitation, then of each sign-in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import StaffLanguage
from tests.portal.test_invitations import invite
from tests.portal.test_mail import report, scheduled
from tests.staff import PASSWORD, logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox")]


def language_of(user) -> str:
    return StaffLanguage.objects.get(user=user).language


def test_the_admin_and_the_password_reset_speak_the_browsers_or_the_sites_language(client):
    assert "Nom d’utilisateur" in client.get(reverse("admin:login")).content.decode()
    english = client.get(reverse("admin:login"), headers={"Accept-Language": "en"})
    assert "Username" in english.content.decode() and english["Content-Language"] == "en"
    client.cookies["django_language"] = "en"  # chosen with the site's language switcher
    reset = client.get(reverse("admin_password_reset")).content.decode()
    assert "Forgotten your password?" in reset or "Password reset" in reset


def test_a_password_reset_mail_is_in_the_language_it_was_asked_in(client, editor, outbox):
    editor.email = "editrice@example.org"
    editor.save()
    client.post(reverse("admin_password_reset"), {"email": editor.email}, headers={"Accept-Language": "en"})
    (message,) = outbox
    assert "Password reset" in message.subject


def test_an_invitation_goes_in_the_language_chosen_and_the_account_keeps_it(client, editor, outbox):
    invite(logged_in(client, editor), language="en")
    client.logout()
    (message,) = [m for m in outbox if m.to == ["nouvelle@example.org"]] or [None]
    scheduled()
    (message,) = [m for m in outbox if m.to == ["nouvelle@example.org"]]
    assert "You are invited" in message.body
    link = re.search(r"https://sante\.example\.org(/admin/invitation/\S+/)", message.body)[1]
    client.post(link, {"username": "nouvelle", "password": PASSWORD, "again": PASSWORD})
    assert language_of(get_user_model().objects.get(username="nouvelle")) == "en"


def test_signing_in_records_the_language_and_each_manager_is_mailed_in_theirs(client, manager, outbox):
    from tests.staff import account

    manager.email = "coordinatrice@example.org"
    manager.save()
    other = account("colleague", "--role", "hub-manager", "--hub", "centre-de-sante-communautaire-du-blosne",
                    "--language", "en")  # fmt: skip
    other.email = "colleague@example.org"
    other.save()
    assert language_of(manager) == "fr" and language_of(other) == "en"
    client.post(
        reverse("admin:login"),
        {"username": "coordinatrice", "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert language_of(manager) == "en"  # she signed in reading English
    manager_fr = account(
        "gestionnaire", "--role", "hub-manager", "--hub", "centre-de-sante-communautaire-du-blosne"
    )
    manager_fr.email = "gestionnaire@example.org"
    manager_fr.save()

    client.logout()
    report(client)
    scheduled()
    by_address = {m.to[0] if len(m.to) == 1 else tuple(sorted(m.to)): m for m in outbox}
    english = by_address[("colleague@example.org", "coordinatrice@example.org")]
    assert "A resident reports an error" in english.subject
    assert "signale une erreur" in by_address["gestionnaire@example.org"].subject


def test_each_editor_gets_the_digest_in_their_language(client, editor, outbox):
    from accounts.models import remember_language
    from tests.staff import account

    editor.email = "editrice@example.org"
    editor.save()
    remember_language(editor, "en")
    colleague = account("collegue", "--role", "city-editor")
    colleague.email = "collegue@example.org"
    colleague.save()
    report(client, "espace-sante-olivier-sabouraud")
    scheduled()
    scheduled()
    digests = {m.to[0]: m.body for m in outbox if "editrice" in m.to[0] or "collegue" in m.to[0]}
    digests = {to: body for to, body in digests.items() if "admin/hubs/correctionrequest/?" in body}
    assert "This week:" in digests["editrice@example.org"]
    assert "open reports from residents" in digests["editrice@example.org"]
    assert "signalements d'habitants ouverts" in digests["collegue@example.org"]
