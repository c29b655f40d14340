import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from programmes.imports import COLUMNS, funder_kind, is_about_health
from programmes.models import Funder, SupportProgramme

pytestmark = pytest.mark.django_db
AIDES = Path(settings.BASE_DIR) / "fixtures" / "data" / "aides_territoires_periurbain.csv"
PSLA = "Pôles de santé libéraux et ambulatoires (PSLA) en Normandie"
RENNES = "Soutien de la Ville de Rennes aux pôles de santé dans les quartiers"
LILLE = "Pôles ressources santé de la Ville de Lille"


def names(client, **params):
    response = client.get("/programmes/", params)
    assert response.status_code == 200, response.content.decode()[:300]
    return [p.name for p in response.context["page"].object_list]


@pytest.fixture
def dated():
    """Deadlines around today, so status and sorting have something to order."""
    today = datetime.date.today()
    SupportProgramme.objects.filter(slug="coordinateurs-rtps-normandie").update(
        application_deadline=today + datetime.timedelta(days=30)
    )
    SupportProgramme.objects.filter(slug="assurance-maladie-accompagnement-centres-de-sante").update(
        application_deadline=today + datetime.timedelta(days=10)
    )
    SupportProgramme.objects.filter(slug="ville-de-rennes-poles-sante").update(
        starts_on=today + datetime.timedelta(days=60)
    )
    return today


@pytest.mark.parametrize(
    "params, present, absent",
    [
        ({"territory": "vire-normandie"}, [PSLA], [RENNES, LILLE]),  # a Normandie commune
        ({"territory": "le-blosne"}, [RENNES], [PSLA, LILLE]),
        ({"territory": "fives"}, [LILLE], [RENNES]),
        ({"funder": "region-normandie"}, [PSLA], [RENNES]),
        ({"funder_kind": "CITY"}, [RENNES, LILLE], [PSLA]),
        ({"support": "PREMISES"}, [RENNES], [PSLA]),
        ({"beneficiary": "ASSOCIATIONS"}, [LILLE, RENNES], [PSLA]),
        ({"min_amount": "100000"}, [PSLA], [LILLE]),  # Lille: 80,000 € in all
        ({"min_amount": "50000"}, [PSLA, LILLE], [RENNES]),
        ({"status": "CLOSED"}, [PSLA], [LILLE]),  # PSLA ran until 2022
        ({"q": "pole sante liberaux"}, [PSLA], [LILLE]),
        ({"q": "PÔLES RESSOURCES"}, [LILLE], [PSLA]),
    ],
)
def test_filters_combine(client, params, present, absent):
    found = names(client, **params)
    assert all(name in found for name in present), found
    assert not any(name in found for name in absent), found


def test_status_and_nearest_deadline_first(client, dated):
    assert names(client, status="UPCOMING") == [RENNES]
    found = names(client)
    assert found[:2] == [
        "Accompagnement et financement des centres de santé par l'Assurance Maladie",
        "Coordonnateurs des réseaux territoriaux de promotion de la santé (RTPS)",
    ]
    soon = (dated + datetime.timedelta(days=15)).isoformat()
    assert names(client, deadline_before=soon) == [found[0]]


def test_sort_by_amount_and_name(client):
    assert names(client, sort="amount")[:2] == [PSLA, LILLE]
    by_name = names(client, sort="name")
    assert by_name == sorted(by_name)


def test_each_result_shows_funders_amounts_deadline_and_territories(client):
    page = client.get("/programmes/", {"territory": "vire-normandie"}).content.decode()
    assert re.search(r"jusqu(&#x27;|')à 250\s000 € par projet", page)
    assert "Région Normandie, Union européenne (FEADER)" in page
    assert "Terminé le 31 décembre 2022" in page and "Territoires : Normandie" in page  # PSLA, closed
    assert "2 programmes" in page  # PSLA and the RTPS coordinators


def test_an_empty_result_says_what_to_relax(client):
    page = client.get("/programmes/", {"q": "astronautique"}).content.decode()
    assert "0 programme" in page and "essayez sans le montant" in page


def test_which_programmes_for_my_project(client, dated):
    response = client.get(
        "/programmes/", {"for_territory": "vern-sur-seiche", "for_beneficiary": "HEALTH_CENTRES"}
    )
    matches = [p.name for p in response.context["matches"]]
    assert matches == ["Accompagnement et financement des centres de santé par l'Assurance Maladie"]
    by_hub = client.get("/programmes/", {"for_hub": "pole-ressources-sante-lille-sud"})
    assert [p.name for p in by_hub.context["matches"]] == [LILLE]
    closed = client.get("/programmes/", {"for_territory": "vire-normandie"})
    assert [p.name for p in closed.context["matches"]] == [
        "Coordonnateurs des réseaux territoriaux de promotion de la santé (RTPS)"
    ]  # PSLA is closed: not offered to a new project
    page = closed.content.decode()
    assert "Tous les programmes ouverts pour ce projet" in page
    assert "/programmes/?territory=vire-normandie&amp;status=OPEN" in page
    listed = client.get("/programmes/", {"territory": "vire-normandie", "status": "OPEN"}).context["page"]
    assert [p.name for p in listed.object_list] == [p.name for p in closed.context["matches"]]


def test_a_project_with_many_open_programmes_sees_the_20_nearest_deadlines(client, dated):
    from districts.models import Territory

    france = Territory.objects.get(slug="france")
    for index in range(22):
        SupportProgramme.objects.create(
            name=f"Programme national {index}", slug=f"national-{index}"
        ).territories.add(france)
    page = client.get("/programmes/", {"for_territory": "le-blosne"})
    assert len(page.context["matches"]) == 21  # one more than shown: enough to say "more than 20"
    assert "Plus de 20 programmes ouverts" in page.content.decode()
    assert page.content.decode().count("<h3><a href=") == 20


@pytest.mark.parametrize(
    "params, message",
    [
        ({"for_beneficiary": "HEALTH_CENTRES"}, "Choisissez un territoire ou un lieu."),
        ({"for_territory": "atlantis"}, "Rien ne s&#x27;appelle « atlantis »."),
        ({"for_hub": "<b>x</b>"}, "Rien ne s&#x27;appelle « &lt;b&gt;x&lt;/b&gt; »."),
        ({"for_hub": "Blosne"}, "Vouliez-vous dire : Centre de santé communautaire du Blosne ?"),
    ],
)
def test_the_project_form_explains_mistakes(client, params, message):
    response = client.get("/programmes/", params)
    assert response.status_code == 400 and message in response.content.decode()


GARBAGE = [
    ("min_amount", "beaucoup"), ("min_amount", "-5"), ("min_amount", "1e308"), ("min_amount", "nan"),
    ("deadline_before", "31/02/2026"), ("deadline_before", "demain"), ("funder", "inconnu"), ("funder_kind", "ALIEN"),
    ("support", "MAGIC"), ("beneficiary", "DRAGONS"), ("territory", "atlantis"), ("status", "MAYBE"),
    ("sort", "random"), ("q", "x" * 10_000), ("q", "<script>alert(1)</script>"), ("page", "999999"),
]  # fmt: skip


@pytest.mark.parametrize("name, value", GARBAGE)
def test_garbage_never_gives_a_500(client, name, value):
    response = client.get("/programmes/", {name: value})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)" not in response.content.decode()
    export = client.get("/programmes/export.csv", {name: value})
    assert export.status_code in (200, 400)


def test_the_hub_page_and_district_page_link_their_programmes_and_home_lists_them(client, dated):
    hub = client.get("/hubs/centre-de-sante-communautaire-du-blosne/").content.decode()
    assert 'href="/programmes/?territory=le-blosne&amp;status=OPEN"' in hub
    open_here = client.get("/programmes/", {"territory": "le-blosne", "status": "OPEN"}).content.decode()
    assert "Accompagnement et financement des centres de santé" in open_here
    district = client.get("/districts/vire-normandie/").content.decode()
    assert 'href="/programmes/?territory=vire-normandie"' in district
    assert PSLA in client.get("/programmes/", {"territory": "vire-normandie"}).content.decode()
    home = client.get("/").content.decode()
    opened = home.split("Programmes de soutien ouverts")[1]
    assert opened.index("Accompagnement et financement") < opened.index("Coordonnateurs des réseaux")


def test_programme_page_shows_everything_and_a_map_of_territories(client):
    page = client.get("/programmes/ville-de-lille-poles-ressources-sante/").content.decode()
    assert "budget total 80" in page and "Ville de Lille (service Santé)" in page
    # The source says "since 2012": the page says so, without inventing a day.
    assert "depuis 2012" in page and "janvier 2012" not in page
    assert "Pôle ressources santé de Wazemmes" in page and "(2016)" in page
    assert 'id="programme-map"' in page and '"Lille-Sud"' in page
    assert "RESOLIS" in page


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_export_follows_the_filters_with_a_bom_one_row_per_programme(client):
    response = client.get("/programmes/export.csv", {"territory": "vire-normandie"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0][0] == "Nom" and len(rows) == 3  # header, PSLA, RTPS
    psla = next(r for r in rows if r[0] == PSLA)
    assert psla[4] == "250000.00" and psla[10] == "Clos" and psla[11] == "Normandie"
    # Types and beneficiaries in words, as on the page, not their codes
    assert psla[2] == "Aide financière" and "Professionnels de santé" in psla[3].split(", ")


def test_export_neutralises_formulas(client):
    programme = SupportProgramme.objects.create(
        name='=HYPERLINK("http://evil")', slug="evil", description="x"
    )
    programme.territories.set([])
    Funder.objects.create(name="@SUM(1+1)", slug="sum").programmes.add(programme)
    rows = read_csv(client.get("/programmes/export.csv", {"q": "hyperlink"}))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][1] == "'@SUM(1+1)"


def test_query_counts_are_bounded(bounded_get, dated):
    for index in range(30):
        SupportProgramme.objects.create(name=f"Programme {index}", slug=f"programme-{index}")
    bounded_get("/programmes/", most=12)
    # the catalogue and the matcher's own list
    bounded_get("/programmes/", {"for_territory": "le-blosne", "for_beneficiary": "ASSOCIATIONS"}, most=10)
    bounded_get("/programmes/psla-normandie/", most=10)
    bounded_get("/programmes/export.csv", most=8)


def test_import_aides_only_health_then_again_updates_by_link():
    call_command("import_aides", AIDES, "--only-health", verbosity=0)
    imported = SupportProgramme.objects.filter(source="aides-territoires")
    count = imported.count()
    assert (
        sorted(imported.values_list("name", flat=True))
        == [
            "Accompagner la transformation territoriale de l'offre de soins",
            # Eligible works "bâtiment (bibliothèque, mairie, …, maison de santé)"; "maisons de santé pluriprofessionnelles"
            "Accompagner les collectivités dans la définition et la mise en oeuvre de leur projet d'aménagement, de voirie, d'ouvrage d'art, de bâtiment, d'eau-assainissement, de restauration",
            "Financer et accompagner l'investissement des villes moyennes du Grand Est",
            "Investir dans un projet santé ou médico-social à impact social positif",
        ]
    )  # not "la santé du végétal", drinking water, housing or energy renovation, which mention health in passing
    offre = imported.get(name="Accompagner la transformation territoriale de l'offre de soins")
    assert offre.url.startswith("https://aides-territoires.beta.gouv.fr/")
    assert offre.funders.exists() and offre.support_types.exists() and offre.beneficiaries.exists()
    call_command("import_aides", AIDES, "--only-health", verbosity=0)
    assert imported.count() == count
    call_command("import_aides", AIDES, verbosity=0)
    assert imported.count() == 274
    dated = imported.exclude(application_deadline=None)
    assert dated.count() == 22 and dated.filter(application_deadline=datetime.date(2022, 12, 31)).exists()
    assert Funder.objects.get(name="Banque des Territoires").kind == Funder.Kind.STATE


def write(tmp_path, rows):
    path = tmp_path / "aides.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)  # the aides-territoires header the importer expects
        writer.writerows(rows)
    return path


GOOD = [
    "Soutenir les maisons de santé",
    "https://example.org/aide-1",
    "Région Test",
    "Communes",
    "Subvention",
    "",
    "Permanente",
    "santé",
    "",
]


@pytest.mark.parametrize(
    "bad_row, message",
    [
        (GOOD[:8] + ["31/02/2025"], "line 3, column 'Date Clôture': '31/02/2025' is not a date"),
        (["", *GOOD[1:]], "line 3, column 'Nom': empty"),
        ([GOOD[0], "pas un lien", *GOOD[2:]], "line 3, column 'Lien': 'pas un lien' is not a web address"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_written(tmp_path, bad_row, message):
    before = SupportProgramme.objects.count(), Funder.objects.count()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_aides", write(tmp_path, [GOOD, bad_row]), verbosity=0)
    assert (SupportProgramme.objects.count(), Funder.objects.count()) == before


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("titre;url\nx;y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing from the header"):
        call_command("import_aides", path, verbosity=0)


def test_health_keywords_and_funder_kinds():
    assert is_about_health({"Nom": "Maison de santé pluriprofessionnelle", "Descriptif": ""})
    assert is_about_health({"Nom": "Lutter contre les déserts médicaux", "Descriptif": ""})
    assert not is_about_health(
        {"Nom": "Répondre aux besoins des habitants", "Descriptif": ""}
    )  # 'besoins' ≠ 'soins'
    assert funder_kind("Conseil départemental du Morbihan") == Funder.Kind.DEPARTMENT
    assert funder_kind("Agence régionale de santé Bretagne") == Funder.Kind.ARS
    assert funder_kind("Ville de Brest") == Funder.Kind.CITY


def test_dates_read_as_french_writes_them_and_a_closed_programme_never_says_permanent(client):
    ended = SupportProgramme.objects.create(
        name="Programme terminé", slug="programme-termine", ends_on=datetime.date(2024, 9, 1)
    )
    page = client.get("/programmes/", {"q": "programme termine"}).content.decode()
    assert "Clos" in page and "Terminé le 1er septembre 2024" in page and "permanent" not in page
    ended.ends_on = datetime.date.today() + datetime.timedelta(days=40)
    ended.save()
    page = client.get("/programmes/", {"q": "programme termine"}).content.decode()
    assert (
        "Sans date limite de candidature, jusqu&#x27;au" in page
        or "Sans date limite de candidature, jusqu'au" in page
    )


def test_the_long_date_filter_writes_the_first_of_the_month_as_1er():
    from districts.templatetags.dates import long_date

    assert long_date(datetime.date(2026, 9, 1)) == "1er septembre 2026"
    assert long_date(datetime.date(2026, 9, 2)) == "2 septembre 2026"
    assert long_date(None) == ""


def test_an_export_with_categories_is_selected_on_them_not_on_its_text():
    from programmes.imports import is_about_health

    assert is_about_health({"Thématiques": "Santé / Accès aux soins", "Nom": "Un appel à projets"})
    assert not is_about_health({"Thématiques": "Énergie / Rénovation", "Nom": "La santé de vos bâtiments"})
