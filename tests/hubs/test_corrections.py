"""Residents report an error on a hub page: queued for the hub's staff, guarded against spam."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from hubs.models import CorrectionRequest
from tests.staff import BLOSNE, logged_in

pytestmark = pytest.mark.django_db


def test_a_valid_correction_is_queued_for_managers_and_editors(client, manager):
    response = client.post(
        reverse("hubs:report", args=[BLOSNE]), {"message": "Le téléphone a changé.", "contact": ""}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Merci") >= 1
    assert CorrectionRequest.objects.get().hub.slug == BLOSNE
    listed = (
        logged_in(client, manager)
        .get(reverse("admin:hubs_correctionrequest_changelist"))
        .context["cl"]
        .result_list
    )
    assert len(listed) == 1


@pytest.mark.parametrize(
    "data, status, text",
    [
        ({"message": "Le téléphone a changé.", "website": "http://spam.example"}, 400, "envoi automatique"),
        ({"message": "x" * 2001}, 400, "2000"),
        ({"message": ""}, 400, "obligatoire"),
    ],
)
def test_spam_and_bad_corrections_are_refused_and_nothing_is_stored(client, data, status, text):
    response = client.post(reverse("hubs:report", args=[BLOSNE]), data)
    assert response.status_code == status and text in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_corrections_are_rate_limited_per_address(client, settings):
    cache.clear()
    settings.CORRECTIONS_PER_HOUR = 2
    url = reverse("hubs:report", args=[BLOSNE])
    for _ in range(2):
        assert client.post(url, {"message": "Horaires faux ce samedi."}).status_code == 302
    response = client.post(url, {"message": "Encore un signalement."})
    assert response.status_code == 429 and "plus tard" in response.content.decode()
    assert CorrectionRequest.objects.count() == 2


def test_the_correction_form_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(reverse("hubs:report", args=[BLOSNE]), {"message": "Horaires faux."}).status_code == 403
    )
