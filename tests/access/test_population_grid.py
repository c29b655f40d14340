"""INSEE's 200 m grid read from CSV or GeoPackage: cells placed from their ids, all or nothing, a second run
updates instead of duplicating."""

import csv
import subprocess

import pytest
from django.core.management import CommandError, call_command

from access.compute import metres
from config.imports import ImportProblem
from districts.imports import import_population_grid
from districts.models import PopulationCell, TerritoryAccess
from portal.management.commands.load_demo import DATA

pytestmark = pytest.mark.django_db
EXCERPT = DATA / "insee_carreaux_200m_2019_rennes_vern_lille.csv"
HEADER = ["idcar_200m", "i_est_200", "ind"]


def grid_file(tmp_path, rows, *, header=HEADER, name="grid.csv", delimiter=","):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_cell_id_gives_its_centre_in_wgs84():
    """CRS3035RES200mN2843000E3456000 is the square from (3,456,000, 2,843,000) in ETRS89-LAEA, 200 m a side.
    The Blosne centre (48.0846 N, 1.6593 W; in LAEA 3,456,038 E, 2,843,040 N) stands in it, so the square's
    centre is at most half a diagonal (141 m) away, and here 38 and 40 m short of it: about 85 m."""
    cell = PopulationCell.objects.get(code="CRS3035RES200mN2843000E3456000")
    assert metres(cell.location.y, cell.location.x, 48.0846, -1.6593) == pytest.approx(85, abs=3)
    assert (cell.east, cell.north, cell.year, cell.territory.slug) == (3456000, 2843000, 2019, "le-blosne")


def test_a_second_run_updates_the_cells_instead_of_duplicating_them(tmp_path):
    before = PopulationCell.objects.count()
    path = grid_file(tmp_path, [["CRS3035RES200mN2843000E3456000", "0", "12.5"]])
    import_population_grid(path=path, year=2019, source="test", covering=["le-blosne"])
    assert PopulationCell.objects.count() == before
    assert PopulationCell.objects.get(code="CRS3035RES200mN2843000E3456000").population == 12.5


def test_a_geopackage_and_semicolons_are_read_too(tmp_path):
    rows = [["CRS3035RES200mN2766400E3296000", "1", "4"], ["CRS3035RES200mN2766600E3296000", "0", "7.5"]]
    semicolons = grid_file(tmp_path, rows, header=["Idcar_200m", "I_est_200", "Ind"], delimiter=";")
    import_population_grid(path=semicolons, year=2017, source="test")
    assert PopulationCell.objects.get(code="CRS3035RES200mN2766600E3296000").population == 7.5
    geopackage = tmp_path / "grid.gpkg"
    plain = grid_file(tmp_path, [["CRS3035RES200mN2766800E3296000", "1", "3"]], name="plain.csv")
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(geopackage), str(plain)], check=True)
    import_population_grid(path=geopackage, year=2019, source="test")
    cell = PopulationCell.objects.get(code="CRS3035RES200mN2766800E3296000")
    assert (cell.population, cell.imputed) == (3.0, True)


@pytest.mark.parametrize(
    "rows, header, message",
    [
        ([["CRS3035RES1000mN2766000E3296000", "0", "4"]], HEADER, "is not a 200 m cell id"),
        ([["CRS3035RES200mN2766400E3296000", "0", "-3"]], HEADER, "ind '-3' is not a number ≥ 0"),
        ([["CRS3035RES200mN2766400E3296000", "0", "beaucoup"]], HEADER, "ind 'beaucoup'"),
        ([["CRS3035RES200mN2766400E3296000", "0"]], ["idcar_200m", "i_est_200"], "no ind / Ind column"),
        ([], HEADER, "no cell in the file"),
    ],
)
def test_a_malformed_file_is_refused_and_writes_nothing(tmp_path, rows, header, message):
    good = ["CRS3035RES200mN2766200E3296000", "0", "5"]  # a good first row: nothing of it may stay
    path = grid_file(tmp_path, [good, *rows] if rows else [], header=header)
    before = PopulationCell.objects.count()
    with pytest.raises(ImportProblem, match=message):
        import_population_grid(path=path, year=2019, source="test")
    assert PopulationCell.objects.count() == before


def test_the_command_names_an_unknown_territory_and_imports_nothing(tmp_path):
    path = grid_file(tmp_path, [["CRS3035RES200mN2766200E3296000", "0", "5"]])
    with pytest.raises(CommandError, match="no territory nulle-part.*Nothing was imported"):
        call_command(
            "import_population_grid", str(path), "--year", "2019", "--covering", "nulle-part", verbosity=0
        )
    assert not PopulationCell.objects.filter(code="CRS3035RES200mN2766200E3296000").exists()
    assert TerritoryAccess.objects.count() == 27  # Rennes, Vern, Lille and their 24 quartiers, from the demo


def test_the_excerpt_is_the_real_file_unchanged_in_its_totals():
    with open(EXCERPT, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1716 and sum(float(r["ind"]) for r in rows) == 381863.5
