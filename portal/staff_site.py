"""The admin with a second factor: staff sign in with a password, then a code from an authenticator app (TOTP,
django-otp), or one of their recovery codes.

City editors and superusers must use it (the first sign-in leads to enrolment); hub managers may, and must when
STAFF_2FA_FOR_MANAGERS is on. A correct password alone opens nothing of the admin: every admin page asks
`has_permission`, which asks for a verified session. Wrong codes count as failed logins for django-axes (the
same lockout as passwords) and slow the device down (django-otp's throttling).
"""

import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.roles import is_city_editor

RECOVERY_CODES = 10


def must_use_second_factor(user) -> bool:
    return user.is_superuser or is_city_editor(user) or settings.STAFF_2FA_FOR_MANAGERS


def second_factor_done(request) -> bool:
    """Verified with a code, or a hub manager who has not enrolled and is not required to."""
    user = request.user
    if getattr(
        user, "is_verified", lambda: False
    )():  # set by OTPMiddleware; not yet on a user just signed in
        return True
    return not must_use_second_factor(user) and not user_has_device(user)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Code à 6 chiffres de votre application, ou un code de secours"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and second_factor_done(request)

    def login(self, request, extra_context=None):
        # Signed in with a password but not through the second step yet: that step, not the login form again.
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not second_factor_done(request):
            return redirect(self._next_step(request))
        response = super().login(request, extra_context)
        if request.method == "POST" and request.user.is_authenticated and not second_factor_done(request):
            return redirect(self._next_step(request))
        return response

    def _next_step(self, request) -> str:
        step = "second_factor" if user_has_device(request.user) else "second_factor_enrol"
        target = request.GET.get("next") or request.POST.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        return f"{reverse(f'admin:{step}')}?next={target}"

    def index(self, request, extra_context=None):
        """Staff's home starts with their work: what to check, fill in or answer, each a link to its list."""
        # The work list reads hubs and registries: imported once the apps are ready.
        from portal.worklist import worklist_for

        return super().index(request, {"worklist": worklist_for(request.user), **(extra_context or {})})

    def get_urls(self):
        own = [
            path("second-factor/", self.staff_view(self.second_factor), name="second_factor"),
            path("second-factor/enrol/", self.staff_view(self.enrol), name="second_factor_enrol"),
            path("invitation/<str:token>/", self.accept_invitation, name="accept_invitation"),
        ]
        return own + super().get_urls()

    def staff_view(self, view):
        """Signed in (password) and staff, second factor or not: the steps that give it."""

        def wrapped(request, *args, **kwargs):
            if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
                return redirect(reverse("admin:login"))
            return view(request, *args, **kwargs)

        return wrapped

    def _done(self, request):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        return redirect(target or reverse("admin:index"))

    def _refused(self, request, form):
        """A wrong code: one failed login for django-axes, which locks the account out as for passwords."""
        user = request.user
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
            logout(request)
            return TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        form.add_error(
            "code", _("Ce code n'est pas le bon, ou il a expiré : réessayez avec le code affiché.")
        )
        return None

    def second_factor(self, request):
        if not user_has_device(request.user):
            return redirect(f"{reverse('admin:second_factor_enrol')}?{request.GET.urlencode()}")
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
            if device is not None:
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = StaticToken.objects.filter(device=device).count()
                    messages.warning(
                        request, _("Code de secours utilisé : il vous en reste %(n)d.") % {"n": left}
                    )
                return self._done(request)
            if (locked := self._refused(request, form)) is not None:
                return locked
        context = {**self.each_context(request), "title": _("Double authentification"), "form": form}
        return TemplateResponse(request, "admin/second_factor.html", context)

    def accept_invitation(self, request, token):
        """The link from the invitation mail: choose a user name and a password, then enrol or go to one's hub."""
        from portal import services  # services import the models, which need the apps ready

        try:
            invitation = services.open_invitation(token)
        except services.InvitationRefused as refusal:
            context = {**self.each_context(request), "title": _("Invitation"), "refusal": str(refusal)}
            return TemplateResponse(request, "admin/accept_invitation.html", context, status=400)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):  # no choice of their own yet: the invitation's
            translation.activate(invitation.language)
            request.LANGUAGE_CODE = invitation.language
        form = AcceptInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.accept_invitation(
                    token, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except services.InvitationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                logout(request)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                hub = invitation.hubs.order_by("name").first()
                target = reverse("admin:hubs_hub_change", args=[hub.pk]) if hub else reverse("admin:index")
                # The second factor is offered at once (required of editors): enrol, then on to their hub,
                # in the language they were invited in.
                response = redirect(f"{reverse('admin:second_factor_enrol')}?next={target}")
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    request.LANGUAGE_CODE,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
                return response
        context = {
            **self.each_context(request),
            "title": _("Créer votre compte"),
            "form": form,
            "invitation": invitation,
        }
        return TemplateResponse(request, "admin/accept_invitation.html", context)

    def enrol(self, request):
        if user_has_device(request.user):
            return redirect(f"{reverse('admin:second_factor')}?{request.GET.urlencode()}")
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": _("Application d'authentification")}
        )
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
                device.confirmed = True
                device.save()
                otp_login(request, device)
                codes = recovery_codes(request.user)
                context = {**self.each_context(request), "title": _("Vos codes de secours"), "codes": codes}
                context["next"] = request.GET.get("next") or reverse("admin:index")
                return TemplateResponse(request, "admin/second_factor_codes.html", context)
            if (locked := self._refused(request, form)) is not None:
                return locked
        qr = segno.make(device.config_url, error="m")
        context = {
            **self.each_context(request),
            "title": _("Activer la double authentification"),
            "form": form,
            "qr": "data:image/svg+xml;base64," + base64.b64encode(qr.svg_inline(scale=5).encode()).decode(),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": must_use_second_factor(request.user),
        }
        return TemplateResponse(request, "admin/second_factor_enrol.html", context)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_lazy("Nom d'utilisateur"), max_length=150)
    password = forms.CharField(
        label=_lazy("Mot de passe (12 caractères au moins)"), widget=forms.PasswordInput
    )
    again = forms.CharField(label=_lazy("Le même mot de passe"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("again"):
            self.add_error("again", _("Les deux mots de passe diffèrent."))
        return data


def recovery_codes(user) -> list[str]:
    """Ten single-use codes for a lost phone, shown once; new ones replace the old."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="secours", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset_second_factor(user) -> None:
    """An editor resets a manager's lost phone: the next sign-in enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
