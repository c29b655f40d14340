"""A resident's next step: booking (a checked https link, its platform named) and when the place opens or closes."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.utils import translation

from config.booking import platform, validate_booking_url
from districts.templatetags.dates import opening_change
from hubs.models import Closure, Hub
from hubs.resources import HubResource
from professionals.models import Professional
from tests.factories import HubFactory, MembershipFactory, OpeningHoursFactory, ProfessionalFactory
from tests.staff import BLOSNE, change_url, hub, hub_form, logged_in

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
DOCTOLIB = "https://www.doctolib.fr/centre-de-sante/rennes/centre-test"


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "http://www.doctolib.fr/centre",
        "data:text/html,<script>alert(1)</script>",
        "https://user:secret@www.doctolib.fr/",
        "https://",
        "doctolib.fr/centre",
    ],
)
def test_only_an_https_link_to_a_named_site_is_a_booking_link(link):
    with pytest.raises(ValidationError, match="https://"):
        validate_booking_url(link)


@pytest.mark.parametrize(
    "link, own_site, name",
    [
        (DOCTOLIB, "", "Doctolib"),
        ("https://partners.doctolib.fr/medecin/x", "", "Doctolib"),
        ("https://www.maiia.com/centre-de-sante/x", "", "Maiia"),
        ("https://www.keldoc.com/x", "", "Keldoc"),
        ("https://www.qare.fr/x", "", "Qare"),
        ("https://www.centre-exemple.fr/rendez-vous", "https://centre-exemple.fr/", "le site du lieu"),
        ("https://rdv.example.org/x", "https://centre-exemple.fr/", "un site de prise de rendez-vous"),
        ("https://doctolib.fr.example.org/x", "", "un site de prise de rendez-vous"),  # not Doctolib's
    ],
)
def test_the_platform_is_named_before_the_resident_leaves(link, own_site, name):
    assert platform(link, own_site=own_site) == name


def test_a_manager_sets_a_booking_link_on_their_hub_and_residents_see_where_it_leads(client, manager):
    client = logged_in(client, manager)
    data = hub_form(client)
    data.update(booking_url="http://www.doctolib.fr/centre", booking_by_phone_only="")
    refused = client.post(change_url(), data)
    assert refused.status_code == 200 and "https://" in str(refused.context["adminform"].form.errors)
    assert hub().booking_url == "" and hub().version == 1  # nothing written

    data.update(booking_url=DOCTOLIB, booking_by_phone_only="on")
    both = client.post(change_url(), data)
    assert "ne prend pas que par téléphone" in str(both.context["adminform"].form.errors)

    data["booking_by_phone_only"] = ""
    assert client.post(change_url(), data).status_code == 302
    saved = hub()
    assert saved.booking_url == DOCTOLIB and not saved.booking_by_phone_only
    record = saved.history.latest()
    assert record.history_user == manager
    assert {"booking_url", "booking_by_phone_only"} <= set(
        record.diff_against(record.prev_record).changed_fields
    )

    page = client.get(saved.get_absolute_url()).content.decode()
    assert f'href="{DOCTOLIB}" rel="noopener external">Prendre rendez-vous sur Doctolib' in page
    assert "vous quittez ce site pour doctolib.fr" in page
    card = client.get("/hubs/", {"q": "blosne"}).content.decode()
    assert 'Prendre rendez-vous sur Doctolib<span class="visually-hidden"> — Centre de santé' in card


def test_a_manager_cannot_set_the_link_of_another_hub(client, manager):
    other = Hub.objects.exclude(slug=BLOSNE).filter(kind=Hub.Kind.MSP).first()
    client = logged_in(client, manager)
    client.post(change_url(other.slug), {"booking_url": DOCTOLIB})
    assert Hub.objects.get(pk=other.pk).booking_url == ""


def test_the_demo_says_the_blosne_centre_books_by_phone(client):
    page = client.get(f"/hubs/{BLOSNE}/").content.decode()
    assert "Rendez-vous par téléphone uniquement" in page
    assert page.index("Appeler le 02 99 41 95 10") < page.index("<h2>Présentation</h2>")  # the phone first
    english = client.get(f"/en/hubs/{BLOSNE}/").content.decode()
    assert "Appointments by phone only" in english


def test_booking_is_in_the_api_fhir_and_the_professional_page(client):
    hub = HubFactory(booking_url=DOCTOLIB, phone="02 00 00 00 00")
    person = ProfessionalFactory(booking_url="https://www.maiia.com/medecin/test")
    MembershipFactory(hub=hub, professional=person)
    found = client.get(f"/api/v1/hubs/{hub.slug}/").json()
    assert (found["booking_url"], found["booking_platform"], found["booking_by_phone_only"]) == (
        DOCTOLIB,
        "Doctolib",
        False,
    )
    fhir = client.get(f"/fhir/Organization/{hub.pk}").json()
    assert {"system": "url", "value": DOCTOLIB, "use": "work"} in fhir["telecom"]
    person = Professional.objects.public().get(pk=person.pk)
    assert client.get(f"/api/v1/professionals/{person.pk}/").json()["booking_platform"] == "Maiia"
    assert "Prendre rendez-vous sur Maiia" in client.get(person.get_absolute_url()).content.decode()


def test_a_spreadsheet_row_with_a_javascript_link_is_refused_and_nothing_is_written():
    header = "slug;name;kind;lat;lng;booking_url;booking_by_phone_only"
    rows = [
        "msp-rdv-ok;MSP RDV;MSP;48.1215;-1.7094;https://www.keldoc.com/msp;0",
        "msp-rdv-bad;MSP RDV 2;MSP;48.1215;-1.7094;javascript:alert(1);0",
    ]
    data = tablib.Dataset().load(io.StringIO("\n".join([header, *rows])).read(), format="csv", delimiter=";")
    result = HubResource().import_data(data)
    assert result.has_validation_errors()
    assert "https://" in str(result.invalid_rows[0].error_dict)
    assert not Hub.objects.filter(slug__startswith="msp-rdv").exists()


class TestWhenItOpens:
    """The Blosne centre: Monday to Friday, 8:45-13:00 and 14:00-19:00."""

    @pytest.fixture
    def blosne(self):
        return Hub.objects.for_page().get(slug=BLOSNE)

    @pytest.mark.parametrize(
        "moment, french, english",
        [
            (datetime.datetime(2026, 11, 23, 10, 0), "ferme à 13 h", "closes at 1 p.m."),
            (datetime.datetime(2026, 11, 23, 13, 30), "ouvre à 14 h", "opens at 2 p.m."),
            (datetime.datetime(2026, 11, 23, 18, 0), "ferme à 19 h", "closes at 7 p.m."),
            (datetime.datetime(2026, 11, 23, 20, 0), "ouvre demain à 8 h 45", "opens tomorrow at 8:45 a.m."),
            (datetime.datetime(2026, 11, 28, 10, 0), "ouvre lundi à 8 h 45", "opens Monday at 8:45 a.m."),
            # Christmas Day and the day after are closed: Friday 25 is a holiday, then the weekend.
            (datetime.datetime(2026, 12, 24, 20, 0), "ouvre lundi à 8 h 45", "opens Monday at 8:45 a.m."),
        ],
    )
    def test_cards_and_pages_say_when_it_next_opens_or_closes(self, blosne, moment, french, english):
        moment = moment.replace(tzinfo=PARIS)
        change = blosne.next_change(moment)
        with translation.override("fr"):
            assert opening_change(change, moment) == french
        with translation.override("en"):
            assert opening_change(change, moment) == english

    def test_a_closure_moves_the_next_opening_past_it(self, blosne):
        Closure.objects.create(hub=blosne, starts_on="2026-11-23", ends_on="2026-12-04", reason="Travaux")
        blosne = Hub.objects.for_page().get(pk=blosne.pk)
        moment = datetime.datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
        with translation.override("fr"):
            assert opening_change(blosne.next_change(moment), moment) == "ouvre le 7 décembre 2026 à 8 h 45"

    def test_back_to_back_intervals_close_once_and_no_hours_say_nothing(self):
        hub = HubFactory()
        OpeningHoursFactory(hub=hub, weekday=0, opens="08:00", closes="12:00")
        OpeningHoursFactory(hub=hub, weekday=0, opens="12:00", closes="18:30")
        hub = Hub.objects.for_page().get(pk=hub.pk)
        monday = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)
        with translation.override("fr"):
            assert opening_change(hub.next_change(monday), monday) == "ferme à 18 h 30"
        assert Hub.objects.for_page().get(pk=HubFactory().pk).next_change(monday) is None

    def test_the_result_list_says_it_too(self, client):
        page = client.get("/hubs/", {"q": "blosne"}).content.decode()
        assert 'class="opening-change">' in page


def test_a_night_that_runs_into_a_closed_day_ends_at_midnight_and_no_hours_say_nothing():
    hub = HubFactory()
    OpeningHoursFactory(hub=hub, weekday=0, opens="20:00", closes="23:59")
    OpeningHoursFactory(hub=hub, weekday=1, opens="00:00", closes="08:00")
    Closure.objects.create(hub=hub, starts_on="2026-11-24", ends_on="2026-11-24", reason="Inventaire")
    hub = Hub.objects.for_page().get(pk=hub.pk)
    monday_night = datetime.datetime(2026, 11, 23, 21, 0, tzinfo=PARIS)
    with translation.override("fr"):
        assert opening_change(hub.next_change(monday_night), monday_night) == "ferme à 23 h 59"
        assert opening_change(None) == ""
