"""The retirement outlook never lets a reader work out one person's plan, by reading or by subtraction."""

import datetime

import pytest

from districts.models import Territory
from districts.stats import retirement_outlook
from tests.factories import HubFactory, MembershipFactory, ProfessionalFactory, TerritoryFactory, square

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year


@pytest.fixture
def city():
    return TerritoryFactory(level=Territory.Level.CITY, population=40_000)


def district(city, lng):
    territory = TerritoryFactory(parent=city, boundary=square(lng, 45.0), population=20_000)
    territory.hub = HubFactory(location=square(lng, 45.0).centroid)
    return territory


def gps(territory, *, staying, retiring):
    for index in range(staying + retiring):
        person = ProfessionalFactory(planned_retirement_year=THIS_YEAR + 1 if index < retiring else None)
        MembershipFactory(professional=person, hub=territory.hub)


def shown(territory):
    outlook = retirement_outlook(territory)
    return None if outlook is None else (outlook.gps, outlook.retiring)


def test_safe_counts_are_shown_for_the_district_and_its_city(city):
    a, b = district(city, 2.0), district(city, 3.0)
    gps(a, staying=3, retiring=3)
    gps(b, staying=4, retiring=3)
    assert shown(a) == (6, 3) and shown(b) == (7, 3) and shown(city) == (13, 6)


@pytest.mark.parametrize("staying, retiring", [(4, 0), (0, 5), (5, 1), (1, 5), (2, 2)])
def test_all_none_or_fewer_than_three_on_either_side_is_not_shown(city, staying, retiring):
    a = district(city, 2.0)
    gps(a, staying=staying, retiring=retiring)
    assert shown(a) is None


def test_a_city_minus_its_districts_would_reveal_one_gp_so_the_districts_hide_theirs(city):
    a, b = district(city, 2.0), district(city, 3.0)
    gps(a, staying=3, retiring=3)
    gps(b, staying=1, retiring=1)  # unsafe on its own: hidden
    # City 8/4 minus Le district a 6/3 would give b's 2/1: a hides its figure, the city keeps the total.
    assert shown(a) is None and shown(b) is None
    assert shown(city) == (8, 4)


def test_a_district_page_shows_the_outlook_only_when_safe(client, city):
    a, b = district(city, 2.0), district(city, 3.0)
    gps(a, staying=3, retiring=3)
    gps(b, staying=3, retiring=4)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Départs en retraite" in page and "Sur 6 médecins généralistes" in page and "3 prévoient" in page
