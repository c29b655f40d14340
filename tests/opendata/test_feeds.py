"""Atom feeds, the deadlines calendar and /donnees/: what partners subscribe to and harvest."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.utils import timezone

from districts.models import Territory
from hubs.models import Hub
from tests.factories import FunderFactory, HubFactory, SupportProgrammeFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_the_programmes_feed_gives_the_newest_changes_first(client):
    older = SupportProgrammeFactory(name="Programme ancien")
    newer = SupportProgrammeFactory(name="Programme récent")
    type(older).objects.filter(pk=older.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    titles = atom(client, "/programmes/feed.atom")
    assert titles.index(newer.name) < titles.index(older.name)


def test_a_territorys_programmes_feed_has_those_of_its_parents_and_not_elsewhere(client):
    blosne, bretagne = Territory.objects.get(slug="le-blosne"), Territory.objects.get(slug="bretagne")
    regional = SupportProgrammeFactory(name="Aide régionale bretonne", territories=[bretagne])
    elsewhere = SupportProgrammeFactory(
        name="Aide normande", territories=[Territory.objects.get(slug="normandie")]
    )
    titles = atom(client, f"/districts/{blosne.slug}/programmes.atom")
    assert regional.name in titles and elsewhere.name not in titles


def test_the_changes_feed_lists_hub_changes_under_the_territory_only(client):
    blosne = Territory.objects.get(slug="le-blosne")
    hub = HubFactory(name="Maison de santé du Triangle")  # placed in Le Blosne by its position
    hub.description = "Nouvelle présentation"
    hub.save()
    HubFactory(name="Lieu caché", published=False)
    titles = atom(client, "/districts/rennes/changes.atom")
    assert f"{hub.name} — ajouté" in titles and f"{hub.name} — modifié" in titles
    assert not any(title.startswith("Lieu caché") for title in titles)
    assert hub.territory == blosne
    assert not any(hub.name in t for t in atom(client, "/districts/lille/changes.atom"))
    assert client.get("/districts/nulle-part/changes.atom").status_code == 404


def test_the_deadlines_calendar_has_an_all_day_event_and_a_reminder_per_deadline(client):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    programme = SupportProgrammeFactory(
        name="Appel à projets 2027", application_deadline=deadline, funders=[FunderFactory(name="ARS Test")]
    )
    SupportProgrammeFactory(name="Sans date limite")
    response = client.get("/programmes/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Date limite : Appel à projets 2027"]
    event = events[0]
    assert event.decoded("dtstart") == deadline and event["url"].endswith(programme.get_absolute_url())
    assert event.walk("VALARM")[0].decoded("trigger") == -datetime.timedelta(days=7)
    normandie = client.get("/programmes/deadlines.ics", {"territory": "normandie"})
    assert not icalendar.Calendar.from_ical(normandie.content).walk("VEVENT")


def test_programme_and_territory_pages_link_their_feeds(client):
    territory_page = client.get("/districts/le-blosne/").content.decode()
    assert (
        "/districts/le-blosne/programmes.atom" in territory_page
        and "/districts/le-blosne/changes.atom" in territory_page
    )
    assert "/programmes/deadlines.ics?territory=le-blosne" in territory_page
    programme = SupportProgrammeFactory()
    assert "/programmes/deadlines.ics" in client.get(programme.get_absolute_url()).content.decode()


def test_the_open_data_page_lists_every_export_with_its_licence_and_a_dcat_catalogue(client):
    page = client.get("/donnees/").content.decode()
    assert "Licence Ouverte" in page and "ODbL" in page
    catalogue = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue == json.loads(client.get("/donnees/catalogue.jsonld").content)
    datasets = catalogue["dcat:dataset"]
    assert {d["dct:title"] for d in datasets} >= {
        "Lieux de santé",
        "Professionnels de santé",
        "Programmes de soutien",
    }
    for dataset in datasets:
        assert dataset["dct:accrualPeriodicity"]["@id"].startswith("http://publications.europa.eu/")
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:accessURL"]["@id"].removeprefix("http://testserver")
            assert distribution["dct:license"]["@id"]
            assert client.get(url).status_code == 200, url
            assert f'href="{url}"' in page
    assert Hub.objects.published().exists()
