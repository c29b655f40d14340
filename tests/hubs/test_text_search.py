"""Word search: accents and slips, relevance, and what happens past the pages."""

import pytest

from tests.factories import HubFactory, MembershipFactory, ProfessionalFactory
from tests.hubs.test_search import BLOSNE, SABOURAUD, VERN, names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kine", SABOURAUD),
        ("KINÉ", SABOURAUD),
        ("kinésithérapeute", SABOURAUD),
        ("sage femme", BLOSNE),
        ("sage-femme", BLOSNE),
        ("blosne", BLOSNE),
        ("Le Blosne médiation", BLOSNE),
        ("vern", VERN),
        ("generaliste rennes", BLOSNE),
        ("lille sud", "Pôle ressources santé de Lille-Sud"),
    ],
)
def test_free_text_is_accent_case_and_hyphen_insensitive(client, query, expected):
    assert expected in names(client, q=query)


def test_free_text_needs_every_word(client):
    assert names(client, q="kine blosne") == []


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("kinesiterapeute", SABOURAUD),  # a letter missing
        ("kinesitherapeut", SABOURAUD),  # a letter short
        ("kinesithérapeuthe", SABOURAUD),  # a letter too many
        ("generalist", BLOSNE),
        ("pediatre", "Cabinet du Colombier"),  # without its accent
    ],
)
def test_a_word_typed_with_a_slip_finds_what_it_means(client, typed, expected):
    from professionals.models import Profession

    paediatrician = ProfessionalFactory(profession=Profession.objects.get(code="paediatrician"))
    MembershipFactory(professional=paediatrician, hub=HubFactory(name="Cabinet du Colombier", published=True))
    assert expected in names(client, q=typed)


def test_a_word_unlike_any_in_the_directory_finds_nothing(client):
    assert names(client, q="plombier") == []


def test_pertinence_ranks_a_word_in_the_name_before_one_in_the_address(client):
    from django.db import connection

    HubFactory(name="Maison de santé Quineleu", street="2 rue Nantaise", published=True)
    HubFactory(name="Cabinet Alpha", street="5 rue de Quineleu", published=True)
    found = names(client, q="quineleu")
    if connection.vendor == "postgresql":
        assert found == ["Maison de santé Quineleu", "Cabinet Alpha"]
    else:  # SpatiaLite's simple fallback: by name
        assert found == ["Cabinet Alpha", "Maison de santé Quineleu"]
    assert names(client, q="quineleu", sort="name") == ["Cabinet Alpha", "Maison de santé Quineleu"]


def test_more_matches_than_the_pages_hold_come_in_name_order_without_ranking(client, monkeypatch):
    from config import paging

    monkeypatch.setattr(paging, "MAX_PAGES", 1)
    HubFactory(name="Maison de santé Quineleu", published=True)
    for number in range(20):
        HubFactory(name=f"Cabinet {number:02}", street="rue de Quineleu", published=True)
    found = names(client, q="quineleu")
    assert found == sorted(found) and "Maison de santé Quineleu" not in found  # 21 matches, 20 shown


def test_word_search_is_served_by_a_trigram_index_on_postgresql(client):
    from django.db import connection

    from hubs.models import Hub as SearchedHub

    assert SearchedHub.objects.published().matching("kine").exists()  # the same query on both databases
    query = SearchedHub.objects.matching("kine kinesiterapeute")  # a substring, and a word with a slip
    if connection.vendor != "postgresql":
        return  # SpatiaLite: no trigram index, the scan is fine at a city's scale
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # 8 demo hubs: make the planner show its choice
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hubs_hub_search_trgm" in plan


def test_a_search_past_the_last_page_says_more_and_asks_to_narrow_it(client, monkeypatch):
    from config import paging

    monkeypatch.setattr(paging, "MAX_PAGES", 1)  # pages of 20 hubs, 30 professionals
    hub = HubFactory(published=True)
    for _ in range(31):
        MembershipFactory(hub=hub)
    HubFactory.create_batch(13, published=True)  # with the demo's 8: 22 hubs
    hubs = client.get("/hubs/", {"sort": "name"})  # the whole directory, not just around the home city
    assert hubs.context["page"].paginator.count == 20
    assert "Plus de 20 lieux trouvés : précisez la recherche" in hubs.content.decode()
    assert "Page 1 sur 1" not in hubs.content.decode() and "Page suivante" not in hubs.content.decode()
    few = client.get("/hubs/", {"kind": "CENTRE_DE_SANTE"})
    assert not few.context["page"].paginator.more
    assert f"{few.context['page'].paginator.count} lieu" in few.content.decode()
    people = client.get("/professionals/").content.decode()
    assert "Plus de 30 professionnels : précisez la recherche" in people
