"""The DREES's APL imported from its workbook, shown beside the portal's own access score, and in the API.

The workbooks here are built in the DREES's layout (a "Lisez-moi" sheet, one "APL <year>" sheet per millésime with
8 lines of title and notes, the header, a line of units, a line per commune, notes at the end); the figures in
them are made up for the tests.
"""

import html

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from districts.models import AplFigure

pytestmark = pytest.mark.django_db
HEADER = [
    "Code commune INSEE", "Commune", "APL aux médecins généralistes ",  # the published headers carry spaces
    "APL aux médecins généralistes de 65 ans ou moins ", "APL aux médecins généralistes de 62 ans ou moins",
    "Population standardisée 2021 pour la médecine générale", "Population totale 2021",
]  # fmt: skip
UNITS = [
    None,
    None,
    "En nombre de consultations/visites accessibles par habitant standardisé",
    None,
    None,
    None,
    None,
]
COMMUNES_2023 = [
    ["35238", "Rennes", 3.412, 3.105, 2.9, 230000.4, 222485],
    ["35352", "Vern-sur-Seiche", 2.204, 1.98, 1.7, 8300.2, 8289],
    ["59350", "Lille", 3.9, 3.6, 3.3, 240000.0, 236234],
    ["01001", "L'Abergement-Clémenciat", 2.1, 2.0, 1.9, 800.0, 832],  # not in the portal: skipped
    ["2A004", "Ajaccio", 3.0, 2.8, 2.7, 72000.0, 73822],
    ["35001", "Acigné", None, None, None, 7000.0, 7000],  # the DREES left it blank
]


def workbook(tmp_path, sheets: dict[str, list[list]], name="apl.xlsx"):
    book = openpyxl.Workbook()
    book.active.title = "Lisez-moi"
    book.active.append(["Indicateur d'accessibilité potentielle localisée (APL) aux médecins généralistes"])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for line in range(8):
            sheet.append([f"Titre et notes, ligne {line + 1}"] if line in (0, 2, 5) else [])
        for row in [
            HEADER,
            UNITS,
            *rows,
            [],
            ["Source : SNIIR-AM 2023, EGB 2023, CNAM-TS ; populations Insee 2021"],
        ]:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_the_newest_sheet_is_imported_for_the_communes_the_portal_has_and_a_second_run_changes_nothing(
    tmp_path,
):
    older = [[*row[:2], 9.9, 9.9, 9.9, *row[5:]] for row in COMMUNES_2023]
    path = workbook(tmp_path, {"APL 2022": older, "APL 2023": COMMUNES_2023})
    call_command("import_apl", str(path), verbosity=0)
    stored = {
        f.territory.code: (f.year, float(f.apl), float(f.apl_under_65), f.population)
        for f in AplFigure.objects.all()
    }
    assert stored == {
        "35238": (2023, 3.412, 3.105, 222485),
        "35352": (2023, 2.204, 1.98, 8289),
        "59350": (2023, 3.9, 3.6, 236234),
    }
    call_command("import_apl", str(path), verbosity=0)
    assert AplFigure.objects.count() == 3
    call_command("import_apl", str(path), "--sheet", "APL 2022", verbosity=0)
    rennes = AplFigure.objects.filter(territory__code="35238").order_by("year")
    assert [(f.year, float(f.apl)) for f in rennes] == [(2022, 9.9), (2023, 3.412)]


def test_a_quartier_shows_its_communes_apl_with_source_and_year_beside_the_portals_score(client, tmp_path):
    call_command("import_apl", str(workbook(tmp_path, {"APL 2023": COMMUNES_2023})), verbosity=0)
    blosne = html.unescape(client.get("/districts/le-blosne/").content.decode())
    assert "APL officielle de la DREES (2023) de Rennes : 3,41 consultations" in blosne
    assert "3,11 en ne comptant que les médecins de 65 ans ou moins" in blosne
    assert "La DREES la publie par commune, pas par quartier." in blosne
    # Shown where the portal's own figures are withheld too (the demo directory is not known complete).
    assert "n'est pas connu pour lister tous ses médecins généralistes" in blosne
    assert 'href="https://www.data.gouv.fr/fr/datasets/laccessibilite-potentielle-localisee-apl/"' in blosne
    vern = html.unescape(client.get("/districts/vern-sur-seiche/").content.decode())
    assert "APL officielle de la DREES (2023) de Vern-sur-Seiche : 2,20" in vern
    assert "publie par commune" not in vern
    nord = html.unescape(client.get("/districts/nord/").content.decode())
    assert "APL officielle de la DREES : pas encore importée pour ce territoire." in nord


def test_the_api_gives_a_communes_apl_with_its_source(client, tmp_path):
    call_command("import_apl", str(workbook(tmp_path, {"APL 2023": COMMUNES_2023})), verbosity=0)
    rennes = client.get("/api/v1/territories/rennes/").json()
    assert rennes["official_apl"] == [
        {
            "year": 2023, "apl": 3.412, "apl_gps_65_or_under": 3.105,
            "unit": "consultations per year per standardised inhabitant",
            "source": "DREES, accessibilité potentielle localisée (APL) aux médecins généralistes",
            "source_url": "https://www.data.gouv.fr/fr/datasets/laccessibilite-potentielle-localisee-apl/",
        }
    ]  # fmt: skip
    assert client.get("/api/v1/territories/le-blosne/").json()["official_apl"] == []


def test_a_csv_with_the_same_header_needs_the_year(tmp_path):
    """Semicolons and decimal commas, under a title line with commas of its own."""
    path = tmp_path / "apl.csv"
    title = "Indicateur d'accessibilité potentielle localisée (APL), médecins généralistes, communes\n"
    rows = ["35238;Rennes;3,412;3,105;2,9;230000;222485", "35352;Vern-sur-Seiche;2,2;1,98;1,7;8300;8289"]
    path.write_text(title + ";".join(HEADER) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="give the year"):
        call_command("import_apl", str(path), verbosity=0)
    call_command("import_apl", str(path), "--year", "2023", verbosity=0)
    assert float(AplFigure.objects.get(territory__code="35238").apl) == 3.412
    assert float(AplFigure.objects.get(territory__code="35352").apl_under_65) == 1.98


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["35238", "Rennes", "beaucoup", 3.1, 2.9, 1, 1]], r"line 12: APL 'beaucoup' is not a number ≥ 0"),
        ([["35238", "Rennes", -1, 3.1, 2.9, 1, 1]], r"line 12: APL '-1' is not a number ≥ 0"),
        ([COMMUNES_2023[0], COMMUNES_2023[1], COMMUNES_2023[0]], r"line 14: commune 35238 appears twice"),
    ],
)
def test_a_damaged_workbook_is_refused_and_nothing_is_written(tmp_path, rows, message):
    path = workbook(tmp_path, {"APL 2023": [COMMUNES_2023[2], *rows]})  # Lille first: it would be written
    with pytest.raises(CommandError, match=f"{message}.*Nothing was imported"):
        call_command("import_apl", str(path), verbosity=0)
    assert not AplFigure.objects.exists()


def test_files_that_are_not_the_drees_workbook_are_refused(tmp_path):
    other = openpyxl.Workbook()
    other.active.title = "Feuil1"
    other.active.append(["Code commune INSEE", "Commune"])
    other.save(tmp_path / "other.xlsx")
    with pytest.raises(CommandError, match=r'no sheet named "APL <year>" \(sheets: Feuil1\)'):
        call_command("import_apl", str(tmp_path / "other.xlsx"), verbosity=0)
    with pytest.raises(CommandError, match='no "APL aux médecins généralistes" column'):
        call_command("import_apl", str(tmp_path / "other.xlsx"), "--sheet", "Feuil1", verbosity=0)
    (tmp_path / "text.xlsx").write_text("pas un classeur", encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable .xlsx workbook"):
        call_command("import_apl", str(tmp_path / "text.xlsx"), verbosity=0)
    with pytest.raises(CommandError, match="no sheet 'APL 1999'"):
        call_command(
            "import_apl",
            str(workbook(tmp_path, {"APL 2023": COMMUNES_2023})),
            "--sheet",
            "APL 1999",
            verbosity=0,
        )
    assert not AplFigure.objects.exists()
