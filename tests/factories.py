"""A factory for every model: each test builds only what it needs on top of the demo directory."""

import datetime
from decimal import Decimal

import factory
from django.contrib.gis.geos import MultiPolygon, Polygon

from accounts.models import StaffLanguage
from config import geo
from districts.models import (
    AplFigure,
    CompleteDirectory,
    DensityFigure,
    DirectoryCount,
    PopulationCell,
    Territory,
    TerritoryAccess,
)
from hubs.models import (
    Closure,
    CorrectionRequest,
    Hub,
    HubRedirect,
    OpeningHours,
    RegistryRefresh,
    RegistrySuggestion,
    Service,
    TransitFeed,
    TransitRoute,
    TransitStop,
)
from professionals.models import Membership, Profession, Professional
from programmes.models import Beneficiary, Funder, Funding, SupportProgramme, SupportType


def square(lng: float, lat: float, size: float = 0.01) -> MultiPolygon:
    ring = ((lng, lat), (lng + size, lat), (lng + size, lat + size), (lng, lat + size), (lng, lat))
    return MultiPolygon(Polygon(ring), srid=4326)


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Quartier test {n}")
    slug = factory.Sequence(lambda n: f"quartier-test-{n}")
    level = Territory.Level.DISTRICT


class ProfessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profession
        django_get_or_create = ["code"]

    code = "general-practitioner"
    name = "Médecin généraliste"
    counts_as_gp = True


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Maison de santé test {n}")
    slug = factory.Sequence(lambda n: f"maison-de-sante-test-{n}")
    kind = Hub.Kind.MSP
    city = "Rennes"
    location = factory.LazyFunction(lambda: geo.point(lat=48.0846, lng=-1.6593))


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    hub = factory.SubFactory(HubFactory)
    weekday = 0
    opens = "09:00"
    closes = "12:00"


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional

    display_name = factory.Sequence(lambda n: f"Docteur Test {n}")
    profession = factory.SubFactory(ProfessionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    professional = factory.SubFactory(ProfessionalFactory)
    hub = factory.SubFactory(HubFactory)


class DensityFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DensityFigure

    territory = factory.SubFactory(TerritoryFactory)
    profession = factory.SubFactory(ProfessionFactory)
    per_10k = Decimal("9.5")
    year = 2024
    source = "Source de test"


class AplFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AplFigure

    territory = factory.SubFactory(TerritoryFactory)
    year = 2023
    apl = Decimal("3.250")
    apl_under_65 = Decimal("2.900")
    population = 12_000
    source = "Source de test"


class DirectoryCountFactory(factory.django.DjangoModelFactory):
    """Counts are kept by the hubs app; a factory for tests of the pages that read them alone."""

    class Meta:
        model = DirectoryCount

    territory = factory.SubFactory(TerritoryFactory)
    profession = factory.SubFactory(ProfessionFactory)
    count = 1


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Service test {n}")
    slug = factory.Sequence(lambda n: f"service-test-{n}")
    category = Service.Category.CARE


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    hub = factory.SubFactory(HubFactory)
    starts_on = datetime.date(2026, 8, 1)
    ends_on = datetime.date(2026, 8, 15)
    reason = "Congés d'été"


class CorrectionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectionRequest

    hub = factory.SubFactory(HubFactory)
    message = "Le numéro de téléphone a changé."


class RegistrySuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrySuggestion

    hub = factory.SubFactory(HubFactory)
    field = "phone"
    current = "02 99 00 00 01"
    value = "02 99 00 11 22"
    source = "FINESS"
    extracted_on = datetime.date(2026, 11, 1)


class RegistryRefreshFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistryRefresh

    registry = "FINESS"
    succeeded = True
    summary = "FINESS extraction of 2026-11-01 (JSON, stock): 1 hubs were created."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"

    username = factory.Sequence(lambda n: f"agent-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True


class StaffLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffLanguage

    user = factory.SubFactory(UserFactory)
    language = "en"


class HubRedirectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubRedirect

    old_slug = factory.Sequence(lambda n: f"ancien-lieu-{n}")
    hub = factory.SubFactory(HubFactory)


class CompleteDirectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompleteDirectory

    territory = factory.SubFactory(TerritoryFactory)
    profession = factory.SubFactory(ProfessionFactory)
    source = "Ville, contrôle des cabinets"
    as_of = datetime.date(2026, 11, 1)


class PopulationCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationCell

    code = factory.Sequence(lambda n: f"CRS3035RES200mN{2000000 + n * 200}E3000000")
    east = 3_000_000
    north = factory.Sequence(lambda n: 2_000_000 + n * 200)
    location = factory.LazyFunction(lambda: geo.point(lat=45.0, lng=5.0))
    population = 12.0
    year = 2019


class TerritoryAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritoryAccess

    territory = factory.SubFactory(TerritoryFactory)
    grid_year = 2019
    grid_source = "carroyage de test"


class TransitFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransitFeed

    code = factory.Sequence(lambda n: f"reseau-{n}")
    publisher = "Réseau de test"
    imported_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))


class TransitRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransitRoute

    feed = factory.SubFactory(TransitFeedFactory)
    gtfs_id = factory.Sequence(str)
    short_name = factory.Sequence(lambda n: str(n))
    mode = TransitRoute.Mode.BUS
    color = "12436D"


class TransitStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransitStop

    feed = factory.SubFactory(TransitFeedFactory)
    gtfs_id = factory.Sequence(str)
    name = factory.Sequence(lambda n: f"Arrêt {n}")
    location = factory.LazyFunction(lambda: geo.point(lat=48.0860, lng=-1.6610))


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Financeur test {n}")
    slug = factory.Sequence(lambda n: f"financeur-test-{n}")
    kind = Funder.Kind.CITY


class SupportTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportType
        django_get_or_create = ["code"]

    code = SupportType.Code.FINANCIAL


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary
        django_get_or_create = ["code"]

    code = factory.Iterator(Beneficiary.Code.values)


class SupportProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportProgramme
        skip_postgeneration_save = True  # the hooks set many-to-many relations, nothing to save again

    name = factory.Sequence(lambda n: f"Programme test {n}")
    slug = factory.Sequence(lambda n: f"programme-test-{n}")
    url = factory.Sequence(lambda n: f"https://example.org/programmes/{n}")

    @factory.post_generation
    def funders(self, create, extracted, **kwargs):
        if create:
            self.funders.set(extracted if extracted is not None else [FunderFactory()])

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    programme = factory.SubFactory(SupportProgrammeFactory)
    hub = factory.SubFactory(HubFactory)
    amount = Decimal("50000")
    year = 2025
