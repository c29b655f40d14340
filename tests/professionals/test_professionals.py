import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from professionals.models import Membership
from tests.factories import HubFactory, MembershipFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rpps", ["1234567890", "123456789012", "1234567890a"])
def test_the_database_refuses_an_rpps_that_is_not_11_digits(rpps):
    # PostgreSQL refuses a 12th character as too long (DataError); the check constraint does the rest.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        ProfessionalFactory(rpps=rpps)


def test_the_form_validator_explains_the_rpps_rule():
    professional = ProfessionalFactory.build(rpps="12")
    with pytest.raises(ValidationError, match="11 chiffres"):
        professional.full_clean(exclude=["profession"])


def test_rpps_is_unique_but_may_be_empty_for_many():
    ProfessionalFactory(rpps="10000000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfessionalFactory(rpps="10000000001")
    ProfessionalFactory(rpps="")
    ProfessionalFactory(rpps="")  # stored as NULL, so no clash


def test_a_professional_may_practise_in_several_hubs_but_once_in_each():
    membership = MembershipFactory(days_present="024")
    MembershipFactory(professional=membership.professional)
    assert membership.professional.memberships.count() == 2
    assert membership.weekday_labels() == ["Lundi", "Mercredi", "Vendredi"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(professional=membership.professional, hub=membership.hub)


def test_days_present_are_weekdays_0_to_6():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(days_present="07")


def test_the_professional_page_never_shows_a_retirement_year(client):
    professional = ProfessionalFactory(planned_retirement_year=2031, display_name="Docteur Départ")
    MembershipFactory(professional=professional, hub=HubFactory(name="Maison Test"))
    page = client.get(professional.get_absolute_url()).content.decode()
    assert "Docteur Départ" in page and "Maison Test" in page
    assert "2031" not in page and "retraite" not in page.lower()


def test_professional_directory_lists_the_demo_professionals(client):
    page = client.get("/professionals/").content.decode()
    assert "(démo)" in page
    assert client.get("/professionals/999999/").status_code == 404


def test_professionals_practising_only_in_unpublished_hubs_are_not_public(client):
    hidden_hub = HubFactory(name="Maison pas encore ouverte", published=False)
    person = ProfessionalFactory(display_name="Docteur Discret", rpps="10101010101")
    MembershipFactory(professional=person, hub=hidden_hub)
    assert client.get(person.get_absolute_url()).status_code == 404
    assert "Docteur Discret" not in client.get("/professionals/", {"q": "discret"}).content.decode()
    MembershipFactory(professional=person, hub=HubFactory(name="Maison ouverte"))
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Maison ouverte" in page and "Maison pas encore ouverte" not in page
