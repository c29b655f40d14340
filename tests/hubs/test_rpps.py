"""import_rpps reads PS_LibreAcces_Personne_activite as published: pipes, a header, a row per activity."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from professionals.models import Membership, Professional
from tests.factories import HubFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "registry_files"
ACTIVITIES = FILES / "PS_LibreAcces_Personne_activite_202511040839.txt"
SAVOIR_FAIRE = FILES / "PS_LibreAcces_SavoirFaire_202511040839.txt"


def run(*args) -> str:
    out = StringIO()
    call_command("import_rpps", *map(str, args), stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def sites():
    return {
        "msp": HubFactory(
            name="MSP du Triangle", finess="350012345", street="3 place du Triangle", postcode="35200"
        ),
        "centre": HubFactory(name="Centre des Champs-Manceaux", siret="55544433300021", postcode="35200"),
    }


def test_professionals_in_the_portals_communes_are_created_and_linked_to_their_sites(sites):
    report = run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    assert "3 professionals were created" in report and "1 activities not linked" in report
    assert "10109999999 Paul Durand: CABINET INFIRMIER DURAND, Rennes" in report
    gp = Professional.objects.get(rpps="10101234567")
    assert gp.display_name == "Anaïs Le Goff" and gp.profession.code == "general-practitioner"
    assert set(Membership.objects.filter(professional=gp).values_list("hub__name", flat=True)) == {
        "MSP du Triangle",  # by its FINESS
        "Centre des Champs-Manceaux",  # by its SIRET
    }
    physio = Professional.objects.get(rpps="10107654321")
    assert physio.profession.code == "physiotherapist"
    assert list(physio.memberships.values_list("hub__name", flat=True)) == [
        "MSP du Triangle"
    ]  # by its address
    assert not Professional.objects.filter(rpps="10105555555").exists()  # practises in Paris
    assert gp.provenance["display_name"] == {"by": "RPPS", "on": "2025-11-04"}


def test_without_the_savoir_faire_a_doctor_is_not_counted_as_a_gp(sites):
    run(ACTIVITIES)
    assert Professional.objects.get(rpps="10101234567").profession.code == "specialist"


def test_dry_run_then_a_second_run_changes_nothing(sites):
    assert "3 professionals would be created" in run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE, "--dry-run")
    assert not Professional.objects.filter(rpps="10101234567").exists()
    run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    again = run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    assert "0 professionals were created, 0 updated, 3 unchanged" in again and "Nothing changed" in again


def test_a_name_set_by_hand_stays_and_becomes_a_suggestion(sites):
    person = ProfessionalFactory(rpps="10101234567", display_name="Dr Anaïs Le Goff-Kerbrat")
    person.provenance = {"display_name": {"by": "HUB", "on": "2026-10-01"}}
    person.save()
    assert "1 values set by hand differ" in run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    person.refresh_from_db()
    assert person.display_name == "Dr Anaïs Le Goff-Kerbrat"
    assert person.suggestions.get().value == "Anaïs Le Goff"


def test_a_row_with_a_missing_column_imports_nothing(sites):
    with pytest.raises(CommandError, match="line 3 has 50 fields, the header 52. Nothing was imported"):
        run(FILES / "PS_LibreAcces_Personne_activite_202511040840_truncated.txt")
    assert not Professional.objects.filter(rpps="10101234567").exists()


@pytest.mark.parametrize(
    "content, message",
    [(b"", "the file is empty"), ("header", "has a header but not one row")],
    ids=["empty", "header only"],
)
def test_an_empty_or_header_only_file_is_refused_and_nobody_is_taken_out(sites, tmp_path, content, message):
    run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    path = tmp_path / "PS_LibreAcces_Personne_activite_202612010000.txt"
    header = ACTIVITIES.read_bytes().split(b"\n", 1)[0] + b"\n"
    path.write_bytes(header if content == "header" else content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert Professional.objects.filter(provenance__rpps__by="RPPS", active=True).count() == 3


def test_a_file_with_lone_cr_line_endings_is_read_row_by_row(sites, tmp_path):
    path = tmp_path / "PS_LibreAcces_Personne_activite_202511040839.txt"
    path.write_bytes(ACTIVITIES.read_bytes().replace(b"\n", b"\r"))
    assert "3 professionals were created" in run(path, "--savoir-faire", SAVOIR_FAIRE)


def test_a_run_that_would_take_many_out_stops_unless_told_how_many(sites, tmp_path):
    run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    for n in range(12):  # people an earlier, larger extraction brought
        person = ProfessionalFactory(rpps=f"1020000{n:04d}", display_name=f"Ancien {n}")
        person.provenance = {"rpps": {"by": "RPPS", "on": "2025-10-01"}}
        person.save()
    with pytest.raises(CommandError, match="would close 12 of the 15 professionals.*--allow-closures 12"):
        run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    assert Professional.objects.filter(display_name__startswith="Ancien", active=True).count() == 12
    assert "12 no longer listed" in run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE, "--allow-closures", "12")
    assert not Professional.objects.filter(display_name__startswith="Ancien", active=True).exists()


def test_names_are_written_as_people_write_them(sites):
    run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE)
    assert Professional.objects.get(rpps="10101234567").display_name == "Anaïs Le Goff"


def test_an_extraction_declared_complete_for_a_territory_turns_its_computed_density_on(sites, client):
    """Before: the directory is not known to list every GP of Le Blosne, and the page computes nothing from it.
    After an RPPS import declared complete for Rennes: Le Blosne (under Rennes) shows its computed density,
    with the extraction named as the reason."""
    from districts.models import CompleteDirectory

    before = client.get("/districts/le-blosne/").content.decode()
    assert "aucune densité n&#x27;en est calculée" in before or "aucune densité n'en est calculée" in before
    report = run(ACTIVITIES, "--savoir-faire", SAVOIR_FAIRE, "--complete-for", "rennes")
    assert "Directory declared complete for Rennes." in report
    assert CompleteDirectory.objects.filter(
        territory__slug="rennes", profession__code="general-practitioner"
    ).exists()
    after = client.get("/districts/le-blosne/").content.decode()
    assert "pour 10 000 habitants (" in after and "RPPS (Annuaire Santé), extraction du 04/11/2025" in after
    with pytest.raises(CommandError, match="no territory atlantide"):
        run(ACTIVITIES, "--complete-for", "atlantide")
