import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from districts.models import DensityFigure, Territory

pytestmark = pytest.mark.django_db
DATA = Path(settings.BASE_DIR) / "fixtures" / "data"


def run(*args):
    call_command(*args, verbosity=0)


def test_import_rennes_quartiers_is_idempotent():
    parent = Territory.objects.create(name="Rennes bis", slug="rennes-bis", level="CITY")
    args = ["import_territories", DATA / "rennes_12_quartiers.geojson", "--level", "DISTRICT"]
    args += [
        "--parent",
        "rennes-bis",
        "--name-field",
        "nom",
        "--code-field",
        "nuquart",
        "--code-prefix",
        "R-",
    ]
    run(*args)
    run(*args)
    quartiers = Territory.objects.filter(parent=parent)
    assert quartiers.count() == 12
    blosne = quartiers.get(code="R-11")
    assert blosne.name == "Le Blosne"
    assert blosne.boundary.geom_type == "MultiPolygon"  # the file holds Polygons
    assert blosne.slug != "le-blosne"  # the demo's Le Blosne keeps its slug


def test_import_lille_quartiers():
    Territory.objects.create(name="Lille bis", slug="lille-bis", level="CITY")
    run(
        "import_territories", DATA / "lille_quartiers_mel.geojson", "--level", "DISTRICT", "--parent", "lille-bis",
        "--name-field", "quartier", "--code-field", "code_quar", "--code-prefix", "L-",
    )  # fmt: skip
    names = set(Territory.objects.filter(parent__slug="lille-bis").values_list("name", flat=True))
    assert {"Lille-Sud", "Wazemmes", "Hellemmes", "Lomme"} <= names and len(names) == 12


def test_import_all_communes_of_ille_et_vilaine_then_their_populations():
    run(
        "import_territories", DATA / "communes-35-ille-et-vilaine.geojson", "--level", "DISTRICT",
        "--parent", "ille-et-vilaine", "--name-field", "nom", "--code-field", "code",
    )  # fmt: skip
    communes = Territory.objects.filter(parent__slug="ille-et-vilaine", level="DISTRICT")
    assert communes.count() == 345
    run("import_populations", DATA / "communes_france_2024_limite.csv")
    assert communes.get(code="35352").population == 8289  # Vern-sur-Seiche, and the demo's one at that
    assert Territory.objects.get(level="CITY", code="35238").population == 222485
    assert communes.filter(code="35238").get().population == 222485  # the commune of Rennes, as a district


def test_import_ameli_densities_converts_per_100000_to_per_10000():
    DensityFigure.objects.filter(source__startswith="Assurance Maladie").delete()
    run("import_ameli_densities", DATA / "ameli_effectifs_densite_professions_departement_2024.csv")
    figure = DensityFigure.objects.get(
        territory__slug="ille-et-vilaine", profession__code="general-practitioner", year=2024
    )
    assert float(figure.per_10k) == pytest.approx(8.86)
    assert figure.source.startswith("Assurance Maladie")
    france = DensityFigure.objects.get(
        territory__slug="france", profession__code="general-practitioner", year=2024
    )
    assert float(france.per_10k) == pytest.approx(8.10)
    normandie_nurses = DensityFigure.objects.get(
        territory__slug="normandie", profession__code="nurse", year=2024
    )
    assert float(normandie_nurses.per_10k) == pytest.approx(12.38)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


POLYGON = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not json", "not GeoJSON"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        (
            {"type": "FeatureCollection", "features": [{"properties": {"other": "A"}, "geometry": POLYGON}]},
            "feature 1: property 'nom' is missing",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {"properties": {"nom": "Bon"}, "geometry": POLYGON},
                    {"properties": {"nom": "Point"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
                ],
            },
            "feature 2 (Point): geometry is a Point, not a Polygon",
        ),
    ],
)
def test_a_broken_geojson_is_refused_with_a_clear_message_and_nothing_written(tmp_path, content, message):
    before = Territory.objects.count()
    path = write(tmp_path, "broken.geojson", content)
    with pytest.raises(CommandError, match=re.escape(message)):
        run("import_territories", path, "--level", "DISTRICT", "--name-field", "nom")
    assert Territory.objects.count() == before


def test_an_unknown_parent_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no territory has the slug 'atlantis'"):
        run("import_territories", DATA / "rennes_12_quartiers.geojson", "--level", "DISTRICT",
            "--parent", "atlantis", "--name-field", "nom")  # fmt: skip


def test_a_bad_population_row_names_its_line_and_writes_nothing(tmp_path):
    path = write(
        tmp_path,
        "pop.csv",
        "code_insee;nom_standard;population\n35352;Vern-sur-Seiche;9999\n35238;Rennes;beaucoup\n",
    )
    with pytest.raises(CommandError, match="line 3: population 'beaucoup'"):
        run("import_populations", path)
    assert Territory.objects.get(slug="vern-sur-seiche").population == 8289


def test_a_population_file_without_the_columns_is_refused(tmp_path):
    path = write(tmp_path, "pop.csv", "insee;habitants\n35352;1\n")
    with pytest.raises(CommandError, match="code_insee, population missing"):
        run("import_populations", path)


def test_a_bad_ameli_row_names_its_line_and_writes_nothing(tmp_path):
    header = "annee,profession_sante,region,libelle_region,departement,libelle_departement,classe_age,libelle_classe_age,libelle_sexe,effectif,densite\n"
    rows = [
        "2030,Infirmiers,53,Bretagne,35,Ille-et-Vilaine,tout_age,Tout âge,tout sexe,1,111.6\n",
        "2030,Ensemble des médecins généralistes,53,Bretagne,35,Ille-et-Vilaine,tout_age,Tout âge,tout sexe,1,n/a\n",
    ]
    path = write(tmp_path, "ameli.csv", header + "".join(rows))
    with pytest.raises(CommandError, match="line 3: densite 'n/a'"):
        run("import_ameli_densities", path)
    assert not DensityFigure.objects.filter(year=2030).exists()


SQUARE = {"type": "Polygon", "coordinates": [[[-1.7, 48.1], [-1.6, 48.1], [-1.6, 48.2], [-1.7, 48.1]]]}


def feature(geometry=SQUARE, **properties):
    return {
        "type": "Feature",
        "properties": {"nom": "Quartier refusé", "code": "99", **properties},
        "geometry": geometry,
    }


@pytest.mark.parametrize(
    "content, options, message",
    [
        ({"type": "FeatureCollection"}, {}, "has no 'features' list"),
        ({"type": "FeatureCollection", "features": [feature()]}, {"level": "GALAXY"}, "unknown level 'GALAXY'"),
        ({"type": "FeatureCollection", "features": [feature(code="")]}, {"code_field": "code"}, "property 'code' is missing"),
        ({"type": "FeatureCollection", "features": [feature()]}, {"code_field": "code", "only_codes": ["12"]}, "no feature has the code(s) 12"),
        ({"type": "FeatureCollection", "features": [feature(geometry=None)]}, {}, "geometry is missing"),
        ({"type": "FeatureCollection", "features": [feature(geometry={"type": "Polygon", "coordinates": "x"})]}, {}, "geometry cannot be read"),
        ({"type": "FeatureCollection", "features": [feature(geometry={**SQUARE, "coordinates": [[[-1.7, 148.1], [-1.6, 48.1], [-1.6, 48.2], [-1.7, 148.1]]]})]}, {}, "feature 1 (Quartier refusé):"),
    ],
)  # fmt: skip
def test_a_boundary_file_damaged_in_an_ordinary_way_is_refused_with_its_reason_and_writes_nothing(
    tmp_path, content, options, message
):
    from config.imports import ImportProblem
    from districts.imports import import_territories

    path = tmp_path / "quartiers.geojson"
    path.write_text(json.dumps(content), encoding="utf-8")
    before = Territory.objects.count()
    with pytest.raises(ImportProblem, match=re.escape(message)):
        import_territories(
            path=path, level=options.pop("level", "DISTRICT"), parent=None, name_field="nom", **options
        )
    assert Territory.objects.count() == before


def test_a_negative_population_is_refused_with_its_line(tmp_path):
    from config.imports import ImportProblem
    from districts.imports import import_populations

    rennes = Territory.objects.get(slug="rennes")
    path = tmp_path / "populations.csv"
    path.write_text(f"code_insee;population;code_postal\n{rennes.code};-3;35000\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="line 2: population '-3'"):
        import_populations(path=path, year=2024, source="test")
    assert Territory.objects.get(slug="rennes").population != -3
