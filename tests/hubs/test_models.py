import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from hubs.models import Closure, Hub, OpeningHours
from tests.factories import HubFactory, MembershipFactory, OpeningHoursFactory, ProfessionFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    "fields",
    [
        {"opens": "14:00", "closes": "13:00"},
        {"opens": "14:00", "closes": "14:00"},
        {"weekday": 7},
    ],
)
def test_constraints_refuse_impossible_opening_hours(fields):
    hub = HubFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(hub=hub, **{"weekday": 0, "opens": "09:00", "closes": "12:00", **fields})


def test_a_closure_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(hub=HubFactory(), starts_on="2026-08-10", ends_on="2026-08-01")


def test_hub_slugs_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        HubFactory(slug="centre-de-sante-communautaire-du-blosne")


class TestBlosneOpeningHours:
    """Monday-Friday 8:45-13:00 and 14:00-19:00, from the Assurance Maladie press release."""

    @pytest.fixture
    def hub(self):
        return Hub.objects.for_page().get(slug="centre-de-sante-communautaire-du-blosne")

    @pytest.mark.parametrize(
        "moment, is_open",
        [
            (paris(2026, 11, 23, 8, 44), False),  # Monday, before opening
            (paris(2026, 11, 23, 8, 45), True),
            (paris(2026, 11, 23, 13, 30), False),  # lunch break
            (paris(2026, 11, 27, 18, 59), True),  # Friday evening
            (paris(2026, 11, 27, 19, 0), False),
            (paris(2026, 11, 28, 10, 0), False),  # Saturday
            (paris(2026, 12, 25, 10, 0), False),  # Christmas, a Friday
            (paris(2026, 7, 14, 10, 0), False),  # Bastille Day, a Tuesday
            (paris(2026, 5, 14, 10, 0), False),  # Ascension, a Thursday
        ],
    )
    def test_open_now_uses_paris_time_and_french_holidays(self, hub, moment, is_open):
        assert hub.is_open_at(moment) is is_open

    def test_open_now_converts_utc_to_paris(self, hub):
        # 07:50 UTC on a winter Monday is 08:50 in Paris.
        assert hub.is_open_at(datetime.datetime(2026, 11, 23, 7, 50, tzinfo=datetime.UTC))

    def test_a_closure_closes_the_hub(self, hub):
        Closure.objects.create(hub=hub, starts_on="2026-11-23", ends_on="2026-11-24", reason="Formation")
        hub = Hub.objects.for_page().get(pk=hub.pk)
        assert not hub.is_open_at(paris(2026, 11, 24, 10, 0))
        assert hub.is_open_at(paris(2026, 11, 25, 10, 0))

    def test_the_week_lists_two_intervals_a_weekday(self, hub):
        week = dict(hub.week_hours())
        assert [(h.opens, h.closes) for h in week["Lundi"]] == [
            (datetime.time(8, 45), datetime.time(13, 0)),
            (datetime.time(14, 0), datetime.time(19, 0)),
        ]
        assert week["Samedi"] == [] and week["Dimanche"] == []


def test_several_intervals_a_day_are_allowed():
    hours = OpeningHoursFactory(opens="09:00", closes="12:00")
    OpeningHoursFactory(hub=hours.hub, opens="14:00", closes="18:00")
    assert hours.hub.opening_hours.count() == 2


def test_search_text_ignores_accents_and_follows_memberships():
    hub = HubFactory(name="Pôle Santé Écoute")
    assert "pole sante ecoute" in hub.search_text
    MembershipFactory(
        hub=hub, professional__profession=ProfessionFactory(code="physio", name="Kinésithérapeute")
    )
    hub.refresh_from_db()
    assert "kinesitherapeute" in hub.search_text


def test_published_hubs_are_chainable():
    HubFactory(published=False, name="Brouillon")
    names = set(Hub.objects.published().by_name().values_list("name", flat=True))
    assert "Brouillon" not in names
    assert "Centre de santé communautaire du Blosne" in names
