"""After finding a place: what it costs, what to do when nothing near is open, and a search in either language."""

import datetime

import pytest
import time_machine
from django.utils import translation

from hubs.after_hours import after_hours
from hubs.models import Hub
from professionals.models import Professional, Sector
from tests.factories import (
    HubFactory,
    MembershipFactory,
    OpeningHoursFactory,
    ProfessionalFactory,
    TerritoryFactory,
    square,
)
from tests.staff import BLOSNE

pytestmark = pytest.mark.django_db
SUNDAY_NIGHT = datetime.datetime(2026, 11, 29, 21, 0, tzinfo=datetime.UTC)  # 22:00 in Rennes
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "sector, optam, counted",
    [
        (Sector.SECTEUR_1, None, True),
        (Sector.SECTEUR_2, True, True),
        (Sector.SECTEUR_2, False, False),
        (Sector.SECTEUR_2, None, False),
        (Sector.NON_CONVENTIONNE, None, False),
        (Sector.UNKNOWN, None, False),
    ],
)
def test_without_overrun_is_secteur_1_or_secteur_2_with_optam(client, sector, optam, counted):
    hub = HubFactory(name="Maison test des tarifs", city="Testville")
    MembershipFactory(hub=hub, professional=ProfessionalFactory(sector=sector, optam=optam))
    found = client.get("/hubs/", {"q": "tarifs", "without_overrun": "on"}).content.decode()
    assert ("Maison test des tarifs" in found) is counted
    assert ("Maison test des tarifs" in client.get("/hubs/", {"q": "tarifs"}).content.decode()) is True
    assert Professional.objects.without_overrun().filter(memberships__hub=hub).exists() is counted


def test_a_professional_page_says_the_sector_in_plain_words(client):
    person = ProfessionalFactory(sector=Sector.SECTEUR_2, optam=True, carte_vitale=True)
    MembershipFactory(professional=person, hub=Hub.objects.get(slug=BLOSNE))
    page = client.get(Professional.objects.get(pk=person.pk).get_absolute_url()).content.decode()
    assert "Secteur 2, avec OPTAM" in page and "lue au cabinet" in page
    assert "Honoraires libres" in page and "ameli.fr" in page  # each term explained, with its source
    api = client.get(f"/api/v1/professionals/{person.pk}/").json()
    assert (api["sector"], api["optam"], api["carte_vitale"]) == ("SECTEUR_2", True, True)


class TestTonight:
    @pytest.fixture
    def on_call(self):
        """A maison médicale de garde near the Blosne centre, open Sunday evenings."""
        hub = HubFactory(name="Maison médicale de garde test", kind=Hub.Kind.MAISON_MEDICALE_GARDE)
        OpeningHoursFactory(hub=hub, weekday=6, opens="20:00", closes="23:59")
        return hub

    def test_a_closed_hub_page_lists_the_numbers_and_the_on_call_centre_open_now(self, client, on_call):
        with time_machine.travel(SUNDAY_NIGHT, tick=False):
            page = client.get(f"/hubs/{BLOSNE}/").content.decode()
        assert "Rien d'ouvert près d'ici en ce moment ?" in page
        assert 'href="tel:116117"' in page and 'href="tel:15"' in page and 'href="sms:114"' in page
        assert 'href="tel:3237"' in page and "service-public.fr" in page  # each number with its source
        assert f'<a href="{on_call.get_absolute_url()}">Maison médicale de garde test</a>' in page
        with time_machine.travel(MONDAY_MORNING, tick=False):
            assert "Rien d'ouvert" not in client.get(f"/hubs/{BLOSNE}/").content.decode()

    def test_a_search_with_nothing_open_shows_the_box_and_lille_gets_its_own_line(self, client):
        with time_machine.travel(SUNDAY_NIGHT, tick=False):
            rennes = client.get("/hubs/", {"q": "blosne"}).content.decode()
            lille = after_hours(point=None, postcode="59000", moment=SUNDAY_NIGHT)
        assert "Rien d'ouvert près d'ici" in rennes and 'href="tel:116117"' in rennes
        assert lille["numbers"][0]["number"] == "03 20 33 20 33" and lille["open"] == []

    def test_the_nearest_open_pharmacy_is_named_and_the_on_call_kind_is_searchable(self, client, on_call):
        pharmacy = HubFactory(name="Pharmacie de garde test", kind=Hub.Kind.PHARMACY)
        OpeningHoursFactory(hub=pharmacy, weekday=6, opens="09:00", closes="23:00")
        found = after_hours(point=on_call.location, postcode="35200", moment=SUNDAY_NIGHT)
        assert [hub.name for hub in found["open"]] == [
            "Maison médicale de garde test",
            "Pharmacie de garde test",
        ]
        listed = client.get("/hubs/", {"kind": "MAISON_MEDICALE_GARDE"}).content.decode()
        assert "Maison médicale de garde test" in listed


@pytest.mark.parametrize(
    "words, offering",
    [
        ("GP", "medecine-generale"),
        ("doctor", "medecine-generale"),
        ("midwife", "sage-femme"),
        ("physio", "kinesitherapie"),
    ],
)
def test_english_words_find_what_the_french_ones_do(client, words, offering):
    expected = Hub.objects.published().filter(services__slug=offering).exclude(kind=Hub.Kind.PHARMACY)
    page = client.get("/en/hubs/", {"q": words}).content.decode()
    assert expected.exists() and all(hub.name in page for hub in expected[:5]), words


def test_the_english_home_page_is_titled_home(client):
    with translation.override("en"):
        assert "<title>Home" in client.get("/en/").content.decode()


@pytest.mark.parametrize(
    "typed, understood",
    [
        ("Blosne", "Le Blosne"),
        ("blosne", "Le Blosne"),
        ("villejean", "Villejean - Beauregard"),
        ("vern sur seiche", "Vern-sur-Seiche"),
        ("35770", "Vern-sur-Seiche"),
    ],
)
def test_the_place_box_understands_part_of_a_name_or_a_postcode_and_says_so(client, typed, understood):
    response = client.get("/hubs/", {"around": typed})
    page = response.content.decode()
    assert response.status_code == 200, page
    assert f"« {typed} » compris comme {understood}" in page


def test_a_place_typed_in_full_is_not_explained_and_an_ambiguous_one_is_refused(client):
    assert "compris comme" not in client.get("/hubs/", {"around": "Le Blosne"}).content.decode()
    TerritoryFactory(name="Saint-Test-du-Nord", slug="saint-test-du-nord", boundary=square(-1.6, 48.1))
    TerritoryFactory(name="Saint-Test-du-Sud", slug="saint-test-du-sud", boundary=square(-1.6, 48.0))
    refused = client.get("/hubs/", {"around": "saint test"})
    assert refused.status_code == 400
    assert "Plusieurs réponses pour « saint test »" in refused.content.decode()
    assert client.get("/hubs/", {"around": "zzzzz"}).status_code == 400


@pytest.mark.parametrize(
    "slug, french, english",
    [
        ("le-blosne", "Se soigner au Blosne", "in Le Blosne"),
        ("rennes", "Se soigner à Rennes", "in Rennes"),
        ("ille-et-vilaine", "Se soigner en Ille-et-Vilaine", "in Ille-et-Vilaine"),
    ],
)
def test_places_take_the_french_preposition_they_take_in_speech(client, slug, french, english):
    assert french in client.get(f"/districts/{slug}/fiche/").content.decode()
    assert english in client.get(f"/en/districts/{slug}/fiche/").content.decode()


@pytest.mark.parametrize(
    "name, area, said",
    [
        ("Le Blosne", False, "au Blosne"),
        ("Les Longs-Champs", False, "aux Longs-Champs"),
        ("La Courrouze", False, "à la Courrouze"),
        ("Vern-sur-Seiche", False, "à Vern-sur-Seiche"),
        ("Nord", True, "dans le Nord"),
        ("Côtes-d'Armor", True, "dans les Côtes-d'Armor"),
        ("France", True, "en France"),
    ],
)
def test_french_in(name, area, said):
    from config.text import french_in

    assert french_in(name, area=area) == said


@pytest.mark.parametrize(
    "name, area, said",
    [
        ("Le Blosne", False, "du Blosne"),
        ("Les Longs-Champs", False, "des Longs-Champs"),
        ("La Courrouze", False, "de la Courrouze"),
        ("Rennes", False, "de Rennes"),
        ("Orléans", False, "d'Orléans"),
        ("Ille-et-Vilaine", True, "de l'Ille-et-Vilaine"),
        ("Nord", True, "du Nord"),
        ("Vosges", True, "des Vosges"),
        ("France", True, "de la France"),
    ],
)
def test_french_of(name, area, said):
    from config.text import french_of

    assert french_of(name, area=area) == said


def test_a_gap_sentence_says_du_and_de_la_not_de_le(client):
    page = client.get("/districts/le-blosne/").content.decode()
    assert "la densité de Le" not in page and "de Ille" not in page
    assert "pour atteindre la densité de Rennes (13,4 pour 10 000)" in page
    assert "pour atteindre la densité de la France" in page


def test_a_hubs_new_patients_answer_follows_its_professionals_unless_staff_set_it(client, manager):
    from config import provenance
    from tests.staff import change_url, hub_form, logged_in

    hub = HubFactory(accepting_new_patients="NO")
    first = ProfessionalFactory(accepting_new_patients="NO", accepting_as_of=datetime.date(2026, 10, 1))
    MembershipFactory(hub=hub, professional=first)
    assert Hub.objects.get(pk=hub.pk).accepting_new_patients == "NO"
    second = ProfessionalFactory(accepting_new_patients="YES", accepting_as_of=datetime.date(2026, 11, 2))
    MembershipFactory(hub=hub, professional=second)
    hub.refresh_from_db()
    assert (hub.accepting_new_patients, hub.accepting_as_of) == ("YES", datetime.date(2026, 11, 2))
    assert (
        hub.history.first().history_change_reason == "d'après ses professionnels"
    )  # in its history, and why

    blosne = Hub.objects.get(slug=BLOSNE)  # a person answers for the hub: that answer stands
    data = hub_form(logged_in(client, manager))
    data["accepting_new_patients"] = "NO"
    assert client.post(change_url(), data).status_code == 302
    assert provenance.set_by_hand(Hub.objects.get(pk=blosne.pk), "accepting_new_patients")
    member = blosne.memberships.first().professional
    member.accepting_new_patients = "YES"
    member.save()
    assert Hub.objects.get(pk=blosne.pk).accepting_new_patients == "NO"


def test_an_old_yes_is_flagged(client):
    HubFactory(
        name="Maison test ancienne", accepting_new_patients="YES", accepting_as_of=datetime.date(2021, 2, 26)
    )
    page = client.get("/hubs/", {"q": "ancienne"}).content.decode()
    assert "Nouveaux patients acceptés (au 26 février 2021) <strong" in page
    assert "réponse ancienne : appelez pour vérifier" in page


def test_after_a_search_the_form_folds_into_a_line_that_says_the_criteria(client):
    page = client.get("/hubs/", {"q": "kine", "tiers_payant": "on", "around": "le-blosne", "radius_km": "5"})
    text = page.content.decode()
    assert '<details class="search-again"><summary>Modifier la recherche' in text
    assert "« kine » · Le Blosne · 5 km · Tiers payant" in text
    assert text.index("search-again") < text.index('id="search-form"') < text.index('id="result-count"')
    assert 'class="search-again"' not in client.get("/hubs/").content.decode()  # nothing searched: the form


def test_with_no_criteria_the_list_starts_near_the_city_the_portal_serves(client):
    response = client.get("/hubs/")
    names = [hub.name for hub in response.context["page"].object_list]
    assert "Centre de santé communautaire du Blosne" in names
    assert not any(
        "Lille" in hub.city for hub in response.context["page"].object_list
    )  # not A to Z nationwide
    assert "à moins de 30 km de Rennes, du plus proche au plus loin" in response.content.decode()
    lille = client.get("/hubs/", {"kind": "PHARMACY", "q": "lille"}).context["page"].paginator.count
    assert lille > 50  # a criterion searches everywhere again
