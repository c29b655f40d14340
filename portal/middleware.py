import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import remember_language


class FirstVisitLanguageMiddleware:
    """A first visit (no language chosen yet) from a browser that prefers English lands on the English page.

    French pages have no prefix, so Django's LocaleMiddleware serves them in French whatever the browser asks;
    once someone picks a language with the switcher, the cookie it sets decides, and nobody is redirected again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferred = translation.get_language_from_request(request)
        if (
            request.method == "GET"
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and translation.get_language_from_path(request.path_info) is None
            and preferred != settings.LANGUAGE_CODE
        ):
            target = translate_url(request.get_full_path(), preferred)
            # "//evil.example/" translates to "//evil.example/en/", which a browser reads as another site.
            if target != request.get_full_path() and url_has_allowed_host_and_scheme(
                target, allowed_hosts=None
            ):
                response = redirect(target)
                patch_vary_headers(response, ["Accept-Language", "Cookie"])
                return response
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language"])
        return response


SIGNED_IN_AT, LAST_SEEN = "signed_in_at", "last_seen"


def note_sign_in(sender, request, user, **kwargs) -> None:
    """Connected to `user_logged_in`: when the session started, for StaffSessionLimits; and the language the
    person signs in with, the one their mail is then written in."""
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = int(time.time())
    remember_language(user, translation.get_language())


class StaffLanguage:
    """The admin (and its password reset) in the language the person reads: their choice on the site (its
    cookie), else their browser's. Django gives unprefixed addresses the default language; the admin has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class StaffSessionLimits:
    """A staff session ends STAFF_SESSION_HOURS after signing in, or after STAFF_IDLE_MINUTES without a request
    (OWASP ASVS level 2): an account that can rewrite public health records does not stay open for weeks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now, session = int(time.time()), request.session
            started = session.get(SIGNED_IN_AT, 0)
            if now - started > settings.STAFF_SESSION_HOURS * 3600 or (
                now - session.get(LAST_SEEN, 0) > settings.STAFF_IDLE_MINUTES * 60
            ):
                logout(request)
            elif now - session.get(LAST_SEEN, 0) > 60:  # a write a minute at most, not one per request
                session[LAST_SEEN] = now
        return self.get_response(request)
