from django.conf import settings
from django.shortcuts import redirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
            if target != request.get_full_path():
                response = redirect(target)
                patch_vary_headers(response, ["Accept-Language", "Cookie"])
                return response
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language"])
        return response
