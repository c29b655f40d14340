"""The counts territory pages read (DirectoryCount) follow every write, and match a full recount."""

import pytest

from districts.models import DirectoryCount, Territory
from districts.stats import directory_counts
from hubs.counts import recount_territories
from hubs.services import save_hub
from tests.factories import (
    DensityFigureFactory,
    HubFactory,
    MembershipFactory,
    ProfessionalFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db


def snapshot():
    rows = DirectoryCount.objects.values_list(
        "territory_id", "profession_id", "planned_retirement_year", "count"
    )
    return sorted(rows, key=lambda row: tuple((value is None, value or 0) for value in row))


def counts(*territories):
    found = directory_counts(t.pk for t in territories)
    return [(found[t.pk].hubs, found[t.pk].gps) for t in territories]


def test_counts_follow_publication_moves_and_memberships_up_the_tree():
    rennes = Territory.objects.get(slug="rennes")
    here, there = TerritoryFactory(parent=rennes), TerritoryFactory(parent=rennes)
    (rennes_before,) = counts(rennes)
    hub = HubFactory(territory=here, territory_set_by_hand=True, published=True)
    MembershipFactory(hub=hub, professional=ProfessionalFactory(planned_retirement_year=2027))
    assert counts(here, there) == [(1, 1), (0, 0)]
    assert counts(rennes) == [(rennes_before[0] + 1, rennes_before[1] + 1)]

    hub.territory = there
    save_hub(hub, expected_version=hub.version)
    assert counts(here, there) == [(0, 0), (1, 1)]

    hub.published = False
    save_hub(hub, expected_version=hub.version)
    assert counts(there, rennes) == [(0, 0), rennes_before]


def test_an_inactive_or_departed_professional_no_longer_counts():
    district = TerritoryFactory(parent=Territory.objects.get(slug="rennes"))
    hub = HubFactory(territory=district, territory_set_by_hand=True, published=True)
    staying, leaving = MembershipFactory(hub=hub), MembershipFactory(hub=hub)
    assert counts(district) == [(1, 2)]
    staying.professional.active = False
    staying.professional.save()
    leaving.delete()
    assert counts(district) == [(1, 0)]


def test_a_gp_in_two_hubs_of_one_city_counts_once_for_the_city():
    rennes = Territory.objects.get(slug="rennes")
    (before,) = counts(rennes)
    gp = ProfessionalFactory()
    for _ in range(2):
        hub = HubFactory(
            territory=TerritoryFactory(parent=rennes), territory_set_by_hand=True, published=True
        )
        MembershipFactory(hub=hub, professional=gp)
    assert counts(rennes) == [(before[0] + 2, before[1] + 1)]


def test_counts_kept_on_writes_equal_a_full_recount():
    district = TerritoryFactory(parent=Territory.objects.get(slug="rennes"))
    DensityFigureFactory(territory=district)
    hub = HubFactory(territory=district, territory_set_by_hand=True, published=True)
    for year in (None, 2027, 2040):
        MembershipFactory(hub=hub, professional=ProfessionalFactory(planned_retirement_year=year))
    kept = snapshot()
    recount_territories(None)
    assert snapshot() == kept
    assert len(kept) > 10  # hubs and professions at every level of the demo tree


def test_the_public_directory_follows_publication_activity_and_memberships(client):
    hub = HubFactory(published=True)
    membership = MembershipFactory(hub=hub)
    page = membership.professional.get_absolute_url()
    assert client.get(page).status_code == 200
    hub.published = False
    save_hub(hub, expected_version=hub.version)
    assert client.get(page).status_code == 404
    hub.published = True
    save_hub(hub, expected_version=hub.version)
    assert client.get(page).status_code == 200
    membership.professional.active = False
    membership.professional.save()
    assert client.get(page).status_code == 404
    membership.professional.active = True
    membership.professional.save()
    membership.delete()
    assert client.get(page).status_code == 404
