import factory
from django.contrib.gis.geos import MultiPolygon, Polygon

from config import geo
from districts.models import Territory
from hubs.models import Hub, OpeningHours
from professionals.models import Membership, Profession, Professional


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
