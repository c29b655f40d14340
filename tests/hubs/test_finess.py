"""import_finess reads FINESS as published: the etalab CSV (ISO-8859-1 or Windows-1252, quoted fields, Lambert-93
and UTM, any line ending) and the data.gouv.fr JSON, and destroys nothing a damaged file cannot justify."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hubs.finess_files import STRUCTURE_FIELDS
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
    assert (
        msp.name == "Maison de santé pluriprofessionnelle du Triangle"
    )  # read as ISO-8859-1, as people write
    assert msp.kind == Hub.Kind.MSP and msp.siret == "81234567800018"
    assert (msp.street, msp.postcode, msp.city, msp.phone) == (
        "3 place du Triangle",
        "35200",
        "Rennes",
        "02 99 00 11 22",
    )
    assert msp.location.y == pytest.approx(48.0846, abs=1e-4) and msp.location.x == pytest.approx(
        -1.6593, abs=1e-4
    )
    assert msp.territory.slug == "le-blosne"  # placed from Lambert-93, then in its quartier
    assert Hub.objects.get(finess="350023456").kind == Hub.Kind.PHARMACY
    reunion = Hub.objects.get(finess="970400123")
    assert reunion.name == "Centre de santé du Chaudron; antenne nord"  # a quoted field with a ';'
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


# Real files, damaged in ordinary ways: nothing a file cannot justify is destroyed.


def structure(finess: str, name: str, **fields) -> str:
    values = dict.fromkeys(STRUCTURE_FIELDS, "") | {
        "nofinesset": finess, "rslongue": name, "numvoie": "3", "typvoie": "R", "voie": "DE LA SANTE",
        "commune": "238", "departement": "35", "ligneacheminement": "35200 RENNES", "categetab": "603",
        "dateouv": "2020-01-01",
    } | fields  # fmt: skip
    return "structureet;" + ";".join(values[f] for f in STRUCTURE_FIELDS)


def position(finess: str, x="353267.3", y="6786257.6") -> str:
    return f"geolocalisation;{finess};{x};{y};1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2026-10-15"


def extraction(tmp_path, lines, *, date="2026-11-01", name="finess.csv", ending="\n", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(ending.join([f"finess;etalab;99;{date}", *lines, ""]).encode(encoding))
    return path


def many(count: int, start: int = 0) -> list[str]:
    numbers = [f"35{n:07d}" for n in range(start, start + count)]
    return [structure(n, f"MAISON DE SANTE {n}") for n in numbers] + [position(n) for n in numbers]


def test_lone_cr_line_endings_are_read_as_lines_and_close_nothing(tmp_path):
    run(FILES / "finess_etalab.csv", "--departement", "35")
    crs = tmp_path / "finess_cr.csv"
    crs.write_bytes((FILES / "finess_etalab.csv").read_bytes().replace(b"\n", b"\r"))
    report = run(crs, "--departement", "35")
    assert "0 closed" in report and "2 unchanged" in report and "Nothing changed" in report


@pytest.mark.parametrize(
    "lines, message",
    [
        ([], "not one establishment in the file"),
        (
            [structure("350000001", "MSP"), "<html>Erreur 502</html>"],
            "line 3 is neither a structureet nor a geolocalisation line",
        ),
    ],
    ids=["header only", "a foreign line"],
)
def test_a_file_without_records_or_with_a_foreign_line_is_refused(tmp_path, lines, message):
    run(FILES / "finess_etalab.csv", "--departement", "35")
    with pytest.raises(CommandError, match=message):
        run(extraction(tmp_path, lines), "--departement", "35")
    assert Hub.objects.filter(finess__in=["350012345", "350023456"], published=True).count() == 2
    with pytest.raises(CommandError, match="the file is empty"):
        (tmp_path / "empty.csv").write_bytes(b"")
        run(tmp_path / "empty.csv")


def test_a_run_that_would_close_many_hubs_stops_unless_told_how_many(tmp_path):
    run(extraction(tmp_path, many(20)), "--departement", "35")
    cut = extraction(tmp_path, many(8), date="2026-12-01", name="cut.csv")  # a file cut short: 12 missing
    with pytest.raises(CommandError, match="would close 12 of the 20 hubs.*--allow-closures 12"):
        run(cut, "--departement", "35")
    assert Hub.objects.filter(finess__startswith="350", published=True).count() == 20
    dry = StringIO()
    call_command(
        "import_finess", str(cut), "--departement", "35", "--allow-closures", "12", "--dry-run", stdout=dry
    )
    assert (
        "12 closed" in dry.getvalue() and "would close: 350000019 Maison de santé 350000019" in dry.getvalue()
    )
    assert "12 closed" in run(cut, "--departement", "35", "--allow-closures", "12")
    assert Hub.objects.filter(finess__startswith="350", published=True).count() == 8
    again = run(extraction(tmp_path, many(20), date="2027-01-01", name="whole.csv"), "--departement", "35")
    assert "12 updated" in again  # listed again: reopened
    assert Hub.objects.filter(finess__startswith="350", published=True).count() == 20


@pytest.mark.parametrize(
    "options, message",
    [
        (["--category", "cent"], "not understood: cent"),
        (["--departement", "1"], "not understood: 1 .*01 to 95, 2A, 2B, 971 to 976"),
        (["--commune", "35999"], "not understood: 35999"),
    ],
)
def test_options_of_no_valid_form_are_refused_with_the_valid_forms(options, message):
    with pytest.raises(CommandError, match=message):
        run(FILES / "finess_etalab.csv", *options)
    assert not Hub.objects.filter(finess="350012345").exists()


def test_comma_lists_and_overseas_codes_select_what_finess_writes():
    assert "2 hubs would be created" in run(
        FILES / "finess_etalab.csv", "--category", "124,603", "--departement", "35,974", "--dry-run"
    )
    assert "1 hubs would be created" in run(FILES / "finess_etalab.csv", "--departement", "974", "--dry-run")
    assert "1 hubs would be created" in run(FILES / "finess_etalab.csv", "--commune", "97411", "--dry-run")
    assert "1 hubs would be created" in run(FILES / "finess_etalab.csv", "--departement", "9D", "--dry-run")


def test_a_newer_extraction_that_confirms_a_value_is_the_one_pages_cite(client):
    run(FILES / "finess_etalab.csv", "--departement", "35")
    report = run(FILES / "finess_etalab_later.csv", "--departement", "35")
    msp = Hub.objects.get(finess="350012345")
    assert msp.provenance["name"]["on"] == "2026-12-01" and "confirmed by this newer extraction" in report
    assert "extraction du 1er décembre 2026" in client.get(msp.get_absolute_url()).content.decode()


def test_windows_1252_cedex_capitals_and_repeated_street_types_are_written_as_people_write(tmp_path):
    line = structure(
        "9C0000001", "CENTRE HOSPITALIER  DE CAYENNE L\x92ESPERANCE", departement="9C", commune="302",
        numvoie="40", typvoie="CHE", voie="CHEMIN SAFER MORANGE", ligneacheminement="97306 CAYENNE CEDEX",
        categetab="124",
    )  # fmt: skip
    path = tmp_path / "cayenne.csv"
    text = "\n".join(["finess;etalab;99;2026-11-01", line, ""])
    path.write_bytes(text.encode("utf-8").replace("\x92".encode(), b"\x92"))  # a lone Windows-1252 byte
    run(path, "--departement", "973")
    hub = Hub.objects.get(finess="9C0000001")
    assert hub.name == "Centre hospitalier de Cayenne l’Esperance"
    assert (hub.street, hub.postcode, hub.city) == ("40 chemin Safer Morange", "97300", "Cayenne")


def test_establishments_without_coordinates_are_counted_and_listed(tmp_path):
    path = extraction(
        tmp_path, [structure("350000001", "MSP A"), structure("350000002", "MSP B"), position("350000001")]
    )
    out = StringIO()
    call_command(
        "import_finess", str(path), "--departement", "35", stdout=out, verbosity=2
    )  # -v 2 lists them
    assert "1 without usable coordinates" in out.getvalue()
    assert "without coordinates: 350000002" in out.getvalue()


# The data.gouv.fr JSON (2026): the real example from ansforge/finess, then made-up changes in its layout.

EXAMPLE = (
    Path(__file__).parents[2] / "fixtures" / "data" / "finess_structures_journalier_20260309_extrait.json"
)


def test_the_real_json_example_is_read_as_a_daily_file():
    HubFactory(finess="350099999", name="Not in this daily file")
    report = run(EXAMPLE, "--category", "365,321")
    assert "FINESS extraction of 2026-03-09 (JSON, daily changes): 1 hubs were created" in report
    clinic = Hub.objects.get(finess="010780195")
    assert clinic.name == "Clinique docteur Convert" and clinic.kind == Hub.Kind.OTHER
    assert (clinic.street, clinic.postcode, clinic.city) == (
        "62 avenue de Jasseron",
        "01000",
        "Bourg-en-Bresse",
    )
    assert clinic.siret == "77220148900022" and clinic.phone == "04 28 63 12 34"
    assert (clinic.location.y, clinic.location.x) == pytest.approx((46.211257, 5.254203))
    assert not Hub.objects.filter(finess="010787190").exists()  # closed (etatObjet I): never created
    assert Hub.objects.get(finess="350099999").published  # a daily file closes nothing it does not mention


def test_json_closures_come_from_the_file_and_swapped_lambert_coordinates_are_put_right(tmp_path):
    import json

    data = json.loads(EXAMPLE.read_text())
    clinic = data["pmej"][1]["ege"][0]
    for key in ("directionLatitude", "directionLongitude"):
        del clinic["adresse"][0]["coordonneesGeographique"][key]  # Lambert-93 only, X and Y swapped as given
    first = tmp_path / "finess-structures-journalier-20260310.json"
    first.write_text(json.dumps(data))
    run(first, "--category", "365")
    placed = Hub.objects.get(finess="010780195").location
    assert (placed.y, placed.x) == pytest.approx((46.2113, 5.2542), abs=1e-3)
    clinic["etatObjet"] = "I"
    clinic["informationsGeneralesEGE"]["dateFermeture"] = "2026-03-10"
    data["generatedAt"] = "2026-03-11T03:00:00Z"
    later = tmp_path / "finess-structures-journalier-20260311.json"
    later.write_text(json.dumps(data))
    assert "1 closed" in run(later, "--category", "365")
    assert not Hub.objects.get(finess="010780195").published


# What a registry does not say is shown as unknown; new hubs may wait for an editor.


def test_a_registry_hub_says_unknown_where_the_registry_says_nothing(client):
    run(FILES / "finess_etalab.csv", "--departement", "35")
    msp = Hub.objects.get(finess="350012345")
    page = client.get(msp.get_absolute_url()).content.decode()
    assert "Horaires non renseignés" in page and "Fermé en ce moment" not in page and ">Fermé<" not in page
    assert "<dt>Tiers payant</dt><dd>non renseigné</dd>" in page
    cards = client.get("/hubs/", {"q": "Triangle"}).content.decode()
    assert msp.name in cards and "Fermé maintenant" not in cards


def test_with_review_on_new_registry_hubs_wait_for_an_editor(client, editor, settings):
    from tests.staff import change_url, hub_form, logged_in

    settings.REGISTRY_HUBS_PUBLISHED = False
    run(FILES / "finess_etalab.csv", "--departement", "35")
    msp = Hub.objects.get(finess="350012345")
    assert not msp.published and client.get(msp.get_absolute_url()).status_code == 404
    queue = logged_in(client, editor).get("/admin/hubs/hub/", {"verification": "review"}).context["cl"]
    assert {h.finess for h in queue.queryset} == {"350012345", "350023456"}
    data = hub_form(client, msp.slug)
    data["published"] = "on"
    assert client.post(change_url(msp.slug), data).status_code == 302
    queue = client.get("/admin/hubs/hub/", {"verification": "review"}).context["cl"]
    assert {h.finess for h in queue.queryset} == {"350023456"}


def test_a_json_stock_closes_what_it_no_longer_lists(tmp_path):
    import json

    run(EXAMPLE, "--category", "365")
    data = json.loads(EXAMPLE.read_text())
    del data["pmej"][1]  # the clinic's entity is gone from a later stock
    data["generatedAt"] = "2026-04-01T03:00:00Z"
    stock = tmp_path / "finess-structures-stock-20260401.json"
    stock.write_text(json.dumps(data))
    assert "(JSON, stock)" in run(stock, "--category", "365,321", "--dry-run")
    assert "1 closed" in run(stock, "--category", "365,321")
    assert not Hub.objects.get(finess="010780195").published
