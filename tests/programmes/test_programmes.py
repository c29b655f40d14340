import datetime

import pytest
from django.db import IntegrityError, transaction

from districts.models import Territory
from programmes.models import Funding, SupportProgramme

pytestmark = pytest.mark.django_db


def test_a_normandie_programme_applies_to_a_normandie_commune_and_not_to_rennes():
    vire = Territory.objects.get(slug="vire-normandie")
    assert "psla-normandie" in SupportProgramme.objects.applying_to(vire).values_list("slug", flat=True)
    blosne = Territory.objects.get(slug="le-blosne")
    applying = set(SupportProgramme.objects.applying_to(blosne).values_list("slug", flat=True))
    assert "psla-normandie" not in applying
    assert {"ville-de-rennes-poles-sante", "assurance-maladie-accompagnement-centres-de-sante"} <= applying


def test_status_is_derived_from_the_dates():
    psla = SupportProgramme.objects.get(slug="psla-normandie")
    assert psla.status_on(datetime.date(2021, 6, 1)) == SupportProgramme.Status.OPEN
    assert psla.status_on(datetime.date(2026, 11, 22)) == SupportProgramme.Status.CLOSED
    lille = SupportProgramme.objects.get(slug="ville-de-lille-poles-ressources-sante")
    assert lille.status_on(datetime.date(2011, 1, 1)) == SupportProgramme.Status.UPCOMING
    assert (
        SupportProgramme.objects.open_on(datetime.date(2026, 11, 22)).filter(slug="psla-normandie").count()
        == 0
    )


@pytest.mark.parametrize(
    "fields",
    [{"max_amount": -1}, {"total_budget": -5}, {"starts_on": "2025-01-01", "ends_on": "2024-01-01"}],
)
def test_constraints_refuse_bad_programmes(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportProgramme.objects.create(name="X", slug="x-prog", **fields)


def test_a_funding_amount_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        Funding.objects.create(
            programme=SupportProgramme.objects.get(slug="psla-normandie"),
            hub_id=1,
            amount=-10,
            year=2020,
        )


def test_programme_pages_show_amounts_funders_and_funded_hubs(client):
    page = client.get("/programmes/psla-normandie/").content.decode()
    assert "jusqu&#x27;à 250" in page and "000 € par projet" in page
    assert "15" in page and "d&#x27;ici à 2022" in page
    assert "Région Normandie" in page
    lille = client.get("/programmes/ville-de-lille-poles-ressources-sante/").content.decode()
    assert "budget total 80" in lille
    assert "Pôle ressources santé de Wazemmes" in lille
    assert client.get("/programmes/").status_code == 200
    assert client.get("/programmes/nope/").status_code == 404
