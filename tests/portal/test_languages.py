"""French and English: the browser's language on a first visit, the switcher's choice after, hreflang links."""

import datetime
import json

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_first_visit_from_an_english_browser_lands_on_the_english_page(client):
    response = client.get("/hubs/", {"q": "kine"}, headers={"accept-language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert response.status_code == 302 and response["Location"] == "/en/hubs/?q=kine"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/hubs/", headers={"accept-language": "fr-FR,fr;q=0.9"}).status_code == 200
    assert client.get("/hubs/", headers={"accept-language": "de"}).status_code == 200  # French by default
    assert client.get("/api/v1/", headers={"accept-language": "en"}).status_code == 200  # data: one address


def test_the_switcher_remembers_the_choice(client):
    page = client.get("/hubs/").content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in page
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/hubs/?q=kine"})
    assert chosen.status_code == 302 and chosen["Location"] == "/en/hubs/?q=kine"
    client.post("/i18n/setlang/", {"language": "fr", "next": "/en/hubs/"})
    # Chosen once: an English browser is no longer sent to English pages.
    assert client.get("/hubs/", headers={"accept-language": "en"}).status_code == 200


def test_english_pages_say_so_and_link_their_french_version(client):
    page = client.get("/en/hubs/").content.decode()
    assert '<html lang="en">' in page and "Find a health place" in page and "Trouver un lieu" not in page
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/hubs/">' in page
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/hubs/">' in page
    assert 'hreflang="x-default" href="http://testserver/hubs/"' in page
    french = client.get("/hubs/").content.decode()
    assert '<html lang="fr">' in french and "Trouver un lieu de santé" in french
    assert "hreflang" not in client.get("/api/docs/").content.decode()


def test_what_staff_entered_stays_as_entered_and_figures_follow_the_language(client):
    page = client.get("/en/hubs/centre-de-sante-communautaire-du-blosne/").content.decode()
    assert "Centre de santé communautaire du Blosne" in page  # a name is a name
    assert "<h2>Hours</h2>" in page and "Monday" in page
    district = client.get("/en/districts/le-blosne/").content.decode()
    assert "General practitioners per 10,000 inhabitants" in district and "6.1" in district


def test_dates_are_written_as_each_language_writes_them():
    template = Template("{% load dates %}{{ day|long_date }}")
    day = datetime.date(2026, 9, 1)
    with translation.override("fr"):
        assert template.render(Context({"day": day})) == "1er septembre 2026"
    with translation.override("en"):
        assert template.render(Context({"day": day})) == "1 September 2026"


def test_the_maps_words_are_in_the_pages_language(client):
    english = client.get("/en/hubs/").content.decode()
    labels = json.loads(
        english.split('<script id="ui-labels" type="application/json">')[1].split("</script>")[0]
    )
    assert labels == {
        "open": "Open now",
        "closed": "Closed now",
        "details": "See the record",
        "no_position": "Position unavailable",
        "residents": "{n} residents",
        "nearest_gp": "Nearest GP: {d}",
        "farther_than_20_km": "more than 20 km",
    }
    kinds = json.loads(client.get("/en/hubs/map.geojson").content)["kinds"]
    assert (
        "Health centre" in kinds
        and "Centre de santé" in json.loads(client.get("/hubs/map.geojson").content)["kinds"]
    )


def test_french_counts_zero_and_one_in_the_singular(client):
    nothing = client.get("/hubs/", {"q": "zzzzzzzz"}).content.decode()
    assert "0 lieu trouvé" in nothing and "0 lieux" not in nothing
    assert "0 places found" in client.get("/en/hubs/", {"q": "zzzzzzzz"}).content.decode()
