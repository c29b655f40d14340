"""import_finess reads the etalab extraction as published: ISO-8859-1, quoted fields, Lambert-93 and UTM."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hubs.models import Hub, RegistrySuggestion
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "registry_files"


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_finess", *map(str, args), stdout=out, verbosity=0)
    return out.getvalue()


def test_maisons_centres_and_pharmacies_become_hubs_placed_on_the_map():
    report = run(FILES / "finess_etalab.csv")
    assert "4 hubs were created" in report
    msp = Hub.objects.get(finess="350012345")
    assert msp.name == "MAISON DE SANTÉ PLURIPROFESSIONNELLE DU TRIANGLE"  # read as ISO-8859-1
    assert msp.kind == Hub.Kind.MSP and msp.siret == "81234567800018"
    assert (msp.street, msp.postcode, msp.city, msp.phone) == (
        "3 place DU TRIANGLE",
        "35200",
        "RENNES",
        "02 99 00 11 22",
    )
    assert msp.location.y == pytest.approx(48.0846, abs=1e-4) and msp.location.x == pytest.approx(
        -1.6593, abs=1e-4
    )
    assert msp.territory.slug == "le-blosne"  # placed from Lambert-93, then in its quartier
    assert Hub.objects.get(finess="350023456").kind == Hub.Kind.PHARMACY
    reunion = Hub.objects.get(finess="970400123")
    assert reunion.name == "CENTRE DE SANTÉ DU CHAUDRON; ANTENNE NORD"  # a quoted field with a ';'
    assert reunion.location.y == pytest.approx(-20.8789, abs=1e-4) and reunion.location.x == pytest.approx(
        55.4481, abs=1e-4
    )
    assert not Hub.objects.filter(finess="350034567").exists()  # an EHPAD: not a category the portal lists
    assert msp.provenance["phone"] == {"by": "FINESS", "on": "2026-11-01"}


def test_filters_dry_run_and_a_second_run_that_changes_nothing():
    dry = run(FILES / "finess_etalab.csv", "--departement", "35", "--dry-run")
    assert "2 hubs would be created" in dry and "Dry run: nothing was written." in dry
    assert not Hub.objects.filter(finess__in=["350012345", "350023456"]).exists()
    assert "2 hubs were created" in run(FILES / "finess_etalab.csv", "--departement", "35")
    assert not Hub.objects.filter(finess="290045678").exists()
    again = run(FILES / "finess_etalab.csv", "--departement", "35")
    assert "0 hubs were created, 0 updated, 2 unchanged" in again and "Nothing changed" in again
    only_centres = run(FILES / "finess_etalab.csv", "--category", "124", "--dry-run")
    assert "2 hubs would be created" in only_centres  # Sainte-Clotilde and Brest


def test_a_closed_establishment_is_unpublished_not_deleted_and_a_value_set_by_hand_is_kept(admin_client):
    run(FILES / "finess_etalab.csv", "--departement", "35", "--departement", "9D")
    msp = Hub.objects.get(finess="350012345")
    msp.provenance["phone"] = {"by": "CITY", "on": "2026-11-10"}  # a city editor corrected it
    msp.phone = "02 99 00 00 01"
    msp.save()
    report = run(FILES / "finess_etalab_later.csv", "--departement", "35", "--departement", "9D")
    assert "1 closed" in report and "1 values set by hand differ" in report
    pharmacy = Hub.objects.get(finess="350023456")
    assert not pharmacy.published and pharmacy.status == Hub.Status.CLOSED
    msp.refresh_from_db()
    assert msp.phone == "02 99 00 00 01"
    suggestion = RegistrySuggestion.objects.get(hub=msp, field="phone")
    assert (suggestion.value, suggestion.source, str(suggestion.extracted_on)) == (
        "02 99 00 11 99",
        "FINESS",
        "2026-12-01",
    )
    assert "1 values set by hand differ" not in run(
        FILES / "finess_etalab_later.csv", "--departement", "35", "--departement", "9D"
    )


def test_a_line_cut_short_imports_nothing_and_says_where():
    HubFactory(finess="350012345", name="Avant l'import")
    with pytest.raises(CommandError, match="line 3, structureet has 21 fields, not 32. Nothing was imported"):
        run(FILES / "finess_etalab_truncated.csv")
    assert Hub.objects.get(finess="350012345").name == "Avant l'import"
    with pytest.raises(CommandError, match="line 1 is not"):
        run(FILES.parent / "test_finess.py")
