"""Accounts from the web: invitations by mail (single use, 7 days), and password resets by mail."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.roles import HUB_MANAGERS
from portal.models import Invitation
from tests.staff import BLOSNE, PASSWORD, hub, logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox")]


def invite(
    client, email="nouvelle@example.org", role=Invitation.Role.HUB_MANAGER, hubs=(BLOSNE,), language="fr"
):
    data = {"email": email, "role": role, "hubs": [hub(slug).pk for slug in hubs], "language": language}
    return client.post(reverse("admin:portal_invitation_add"), data)


def link_in_mail(outbox) -> str:
    call_command("run_scheduled", stdout=StringIO())
    (message,) = [m for m in outbox if "Votre accès" in m.subject]
    return re.search(r"https://sante\.example\.org(/admin/invitation/\S+/)", message.body)[1]


def test_an_editor_invites_a_manager_who_sets_a_password_and_lands_on_their_hub(client, editor, outbox):
    assert invite(logged_in(client, editor)).status_code == 302
    client.logout()
    link = link_in_mail(outbox)
    assert "Centre de santé communautaire du Blosne" in client.get(link).content.decode()
    created = client.post(link, {"username": "nouvelle", "password": PASSWORD, "again": PASSWORD})
    user = get_user_model().objects.get(username="nouvelle")
    assert user.email == "nouvelle@example.org" and user.is_staff and user.groups.get().name == HUB_MANAGERS
    assert hub().managers.filter(pk=user.pk).exists()
    hub_page = reverse("admin:hubs_hub_change", args=[hub().pk])
    assert created["Location"] == f"{reverse('admin:second_factor_enrol')}?next={hub_page}"  # offered first
    assert client.get(hub_page).status_code == 200  # a manager may skip it
    invitation = Invitation.objects.get()
    assert invitation.accepted_at and invitation.user == user
    assert invitation.history.filter(history_user=editor).exists()
    client.logout()
    reused = client.post(link, {"username": "encore", "password": PASSWORD, "again": PASSWORD})
    assert reused.status_code == 400 and "déjà servi" in reused.content.decode()
    assert not get_user_model().objects.filter(username="encore").exists()


def test_an_expired_or_revoked_or_resent_link_says_so_and_creates_nothing(client, editor, outbox):
    invite(logged_in(client, editor))
    link = link_in_mail(outbox)
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        expired = client.get(link)
    assert expired.status_code == 400 and "expiré" in expired.content.decode()
    logged_in(client, editor)
    invitation = Invitation.objects.get()
    changelist = reverse("admin:portal_invitation_changelist")
    resent = client.post(changelist, {"action": "resend", "_selected_action": [invitation.pk]}, follow=True)
    assert "1 invitation(s) renvoyée(s)" in resent.content.decode()
    assert client.get(link).status_code == 400  # the old link died with the new one
    outbox[:] = [m for m in outbox if "Votre accès" not in m.subject]
    fresh = link_in_mail(outbox)
    assert client.get(fresh).status_code == 200
    client.post(changelist, {"action": "revoke", "_selected_action": [invitation.pk]})
    revoked = client.post(fresh, {"username": "x", "password": PASSWORD, "again": PASSWORD})
    assert revoked.status_code == 400 and "annulée" in revoked.content.decode()


def test_no_invitation_to_an_address_with_an_account_and_editors_invite_managers_only(
    client, editor, admin_user
):
    editor.email = "editrice@example.org"
    editor.save()
    client = logged_in(client, editor)
    taken = invite(client, email="Editrice@example.org")
    assert taken.status_code == 200 and "existe déjà" in taken.content.decode()
    promoted = invite(client, role=Invitation.Role.CITY_EDITOR, hubs=())
    assert promoted.status_code == 200 and not Invitation.objects.exists()
    assert invite(logged_in(client, admin_user), role=Invitation.Role.CITY_EDITOR, hubs=()).status_code == 302


def test_a_manager_cannot_invite(client, manager):
    assert invite(logged_in(client, manager)).status_code == 403


def test_staff_reset_a_forgotten_password_by_mail(client, editor, outbox):
    editor.email = "editrice@example.org"
    editor.save()
    assert reverse("admin_password_reset") in client.get(reverse("admin:login")).content.decode()  # linked
    assert "Réinitialisation du mot de passe" in client.get(reverse("admin_password_reset")).content.decode()
    client.post(reverse("admin_password_reset"), {"email": "editrice@example.org"})
    (message,) = outbox
    link = re.search(r"https?://[^/]+(/admin/reset/\S+/)", message.body)[1]
    page = client.get(link, follow=True)
    new = "Une-autre-phrase-solide-43"
    done = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)
