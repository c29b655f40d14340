import pytest
from django.db import IntegrityError, transaction

from config import geo
from districts.models import DensityFigure, Territory
from hubs.models import Hub
from tests.factories import HubFactory, ProfessionFactory, TerritoryFactory, square

pytestmark = pytest.mark.django_db


def test_the_demo_tree_runs_from_le_blosne_up_to_france():
    blosne = Territory.objects.get(slug="le-blosne")
    assert [t.name for t in blosne.ancestors()] == ["Rennes", "Ille-et-Vilaine", "Bretagne", "France"]
    assert Territory.objects.get(slug="rennes").children.count() == 12
    assert Territory.objects.get(slug="lille").children.count() == 12
    vern = Territory.objects.get(slug="vern-sur-seiche")
    assert vern.level == Territory.Level.DISTRICT and vern.boundary is not None


def test_a_point_in_le_blosne_lands_in_le_blosne():
    hub = HubFactory(location=geo.point(lat=48.0846, lng=-1.6593))
    assert hub.territory.slug == "le-blosne"


def test_a_point_outside_every_district_gets_no_territory():
    hub = HubFactory(location=geo.point(lat=43.2965, lng=5.3698))  # Marseille
    assert hub.territory is None


def test_moving_a_hub_moves_it_to_the_new_district():
    hub = HubFactory(location=geo.point(lat=48.0846, lng=-1.6593))
    hub.location = geo.point(lat=48.1215, lng=-1.7094)  # Villejean
    hub.save()
    assert hub.territory.slug == "villejean-beauregard"


def test_a_territory_set_by_hand_is_kept():
    centre = Territory.objects.get(slug="centre")
    hub = HubFactory(
        territory=centre, territory_set_by_hand=True, location=geo.point(lat=48.0846, lng=-1.6593)
    )
    hub.refresh_from_db()
    assert hub.territory == centre


def test_within_covers_the_territory_and_everything_under_it():
    rennes = Territory.objects.get(slug="rennes")
    inside = set(Territory.objects.within(rennes).values_list("slug", flat=True))
    assert {"rennes", "le-blosne", "villejean-beauregard"} <= inside
    assert "lille-sud" not in inside and "ille-et-vilaine" not in inside


def test_hubs_follow_a_boundary_that_changes_and_the_move_is_a_new_version():
    from districts.signals import territories_changed

    district = TerritoryFactory(boundary=square(2.0, 45.0))
    hub = HubFactory(location=geo.point(lat=45.005, lng=2.005))
    assert hub.territory == district and hub.version == 1
    district.boundary = square(3.0, 45.0)
    district.save()
    territories_changed.send(sender=Territory)
    moved = Hub.objects.get(pk=hub.pk)
    assert moved.territory is None and moved.version == 2
    district.boundary = square(2.0, 45.0)
    district.save()
    territories_changed.send(sender=Territory)
    assert Hub.objects.get(pk=hub.pk).territory == district


@pytest.mark.parametrize(
    "fields",
    [
        {"population": -1},
        {"slug": "le-blosne"},  # slugs are unique
    ],
)
def test_constraints_refuse_bad_territories(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(**{"name": "X", "slug": "x-unique", "level": "DISTRICT", **fields})


def test_two_territories_of_one_level_cannot_share_a_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(name="Autre Rennes", slug="autre-rennes", level="CITY", code="35238")


def test_a_density_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        DensityFigure.objects.create(
            territory=Territory.objects.get(slug="le-blosne"),
            profession=ProfessionFactory(),
            per_10k=-1,
            year=2024,
            source="Test",
        )


def test_the_seeds_official_figures_are_stored_per_10000_with_their_source():
    def figure(slug, code, year):
        return DensityFigure.objects.get(territory__slug=slug, profession__code=code, year=year)

    assert float(figure("rennes", "general-practitioner", None).per_10k) == 13.4
    assert float(figure("france", "general-practitioner", None).per_10k) == 10.9
    assert float(figure("le-blosne", "general-practitioner", None).per_10k) == 6.1
    assert float(figure("villejean-beauregard", "general-practitioner", None).per_10k) == 9.9
    blosne_2016 = figure("le-blosne", "general-practitioner", 2016)
    assert float(blosne_2016.per_10k) == pytest.approx(5.73)
    assert "ORS Bretagne" in blosne_2016.source
    assert float(figure("le-blosne", "nurse", 2016).per_10k) == pytest.approx(3.27)
    assert float(figure("bretagne", "general-practitioner", 2016).per_10k) == pytest.approx(9.65)
    assert float(figure("bretagne", "nurse", 2016).per_10k) == pytest.approx(16.1)
