"""Staff accounts: made on the command line, or by accepting an invitation sent from the admin."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import remember_language
from config.mail import queue, site_url
from config.roles import CITY_EDITORS, HUB_MANAGERS, ensure_groups
from portal.models import Invitation

INVITATION_DAYS = 7


class InvitationRefused(Exception):
    """A link that is unknown, expired, already used or revoked: said plainly, nothing changed."""


@transaction.atomic
def create_staff_account(*, username: str, email: str, role: str, hubs, password: str, language: str = ""):
    """role: "city-editor" or "hub-manager" (with at least one hub). Raises ValidationError on a weak password.
    `language`: the one their mail is written in (else the site's, until they sign in)."""
    user = get_user_model()(username=username, email=email, is_staff=True)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    ensure_groups()
    user.groups.add(Group.objects.get(name=CITY_EDITORS if role == "city-editor" else HUB_MANAGERS))
    for hub in hubs:
        hub.managers.add(user)
    remember_language(user, language or settings.LANGUAGE_CODE)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send_invitation(invitation: Invitation, *, by) -> None:
    """A fresh single-use link (any older one for this invitation stops working), mailed at once."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _digest(token)
    invitation.expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
    invitation.revoked_at = None
    invitation.invited_by = by
    invitation._history_user = by
    invitation.save()
    context = {
        "invitation": invitation,
        "url": site_url(reverse("admin:accept_invitation", args=[token])),
        "hubs": list(invitation.hubs.order_by("name")),
        "days": INVITATION_DAYS,
    }
    queue(
        to=[invitation.email],
        template="invitation",
        context=context,
        language=invitation.language,
        once=f"invitation:{invitation.token_hash}",
    )


def open_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.filter(token_hash=_digest(token)).first()
    if invitation is None or invitation.revoked_at:
        raise InvitationRefused(_("Cette invitation n'existe pas ou a été annulée."))
    if invitation.accepted_at:
        raise InvitationRefused(
            _("Cette invitation a déjà servi : connectez-vous avec le compte créé alors.")
        )
    if invitation.expires_at < timezone.now():
        raise InvitationRefused(_("Cette invitation a expiré : demandez à la ville de vous en renvoyer une."))
    return invitation


@transaction.atomic
def accept_invitation(token: str, *, username: str, password: str):
    """The invited person chooses a user name and a password: their account, with the role and hubs invited to."""
    invitation = open_invitation(token)
    if get_user_model().objects.filter(username=username).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="taken")
    role = "city-editor" if invitation.role == Invitation.Role.CITY_EDITOR else "hub-manager"
    user = create_staff_account(
        username=username,
        email=invitation.email,
        role=role,
        hubs=invitation.hubs.all(),
        password=password,
        language=invitation.language,
    )
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), user=user
    )
    if not claimed:  # accepted in another tab a moment ago
        raise InvitationRefused(
            _("Cette invitation a déjà servi : connectez-vous avec le compte créé alors.")
        )
    return user
