"""Getting in: acceslibre's export read onto the hubs (by SIRET, else same name within 50 m), all or nothing."""

import csv
import datetime

import pytest
from django.core.management import CommandError, call_command

from config import geo, provenance
from config.choices import Availability
from config.imports import ImportProblem
from hubs.acceslibre import import_acceslibre
from hubs.models import Hub, RegistrySuggestion
from hubs.models.accessibility import Entrance
from portal.management.commands.load_demo import DATA
from tests.factories import HubFactory
from tests.staff import BLOSNE, change_url, hub_form, logged_in

pytestmark = pytest.mark.django_db
EXPORT = DATA / "acceslibre_exemple_schema_0.0.20.csv"  # real acceslibre rows, from the schema's repository
ON = datetime.date(2026, 6, 4)
SCOTTA_SIRET = "82153451800013"  # "400C Scotta!", Paris 12e: steps, no ramp, adapted toilets


def rows():
    with open(EXPORT, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def export_with(tmp_path, changed_rows):
    path = tmp_path / "acceslibre.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(changed_rows[0]))
        writer.writeheader()
        writer.writerows(changed_rows)
    return path


def test_a_row_is_matched_by_siret_and_says_what_a_wheelchair_user_meets(client):
    hub = HubFactory(name="Centre sans rapport de nom", siret=SCOTTA_SIRET)
    counts = import_acceslibre(path=EXPORT, extracted_on=ON)
    assert (counts["rows"], counts["matched"], counts["updated"]) == (6, 1, 1)
    hub.refresh_from_db()
    assert (hub.entrance, hub.accessible_toilets, hub.accessible_parking) == (
        Entrance.STEPS,
        Availability.YES,
        Availability.UNKNOWN,
    )
    assert hub.acceslibre_url == "https://acceslibre.beta.gouv.fr/uuid/b452dded-0eed-4814-ae9e-94f6e525f2cb/"
    assert hub.provenance["entrance"] == {"by": provenance.ACCESLIBRE, "on": "2026-06-04"}
    page = client.get(hub.get_absolute_url()).content.decode()
    assert "entrée une ou plusieurs marches, sans rampe signalée" in page
    assert (
        'href="https://acceslibre.beta.gouv.fr/uuid/b452dded' in page
        and "Fiche du lieu sur acceslibre" in page
    )
    assert "acceslibre (données ouvertes" in page and "4 juin 2026" in page  # the source and its date
    assert hub.history.first().history_change_reason == "acceslibre"


def test_without_siret_the_same_name_within_50_m_is_the_same_place(client):
    # "4Murs", Montauban: step-free entrance. 20 m east of acceslibre's point, and another 200 m away.
    near = HubFactory(name="4Murs", location=geo.point(lat=44.04124253141627, lng=1.38297))
    far = HubFactory(name="4Murs", location=geo.point(lat=44.04304, lng=1.38272))
    import_acceslibre(path=EXPORT, extracted_on=ON)
    near.refresh_from_db(), far.refresh_from_db()
    assert (near.entrance, far.entrance) == (Entrance.STEP_FREE, Entrance.UNKNOWN)
    found = client.get("/hubs/", {"q": "4Murs", "wheelchair": "on"}).content.decode()
    assert near.get_absolute_url() in found and far.get_absolute_url() not in found


def test_the_wheelchair_filter_believes_a_described_entrance_over_an_old_yes(client):
    steps = HubFactory(name="Cabinet filtre A", entrance=Entrance.STEPS, wheelchair_access=Availability.YES)
    ramp = HubFactory(name="Cabinet filtre B", entrance=Entrance.RAMP, wheelchair_access=Availability.UNKNOWN)
    said_yes = HubFactory(name="Cabinet filtre C", wheelchair_access=Availability.YES)
    found = client.get("/hubs/", {"q": "cabinet filtre", "wheelchair": "on"}).content.decode()
    assert steps.get_absolute_url() not in found
    assert ramp.get_absolute_url() in found and said_yes.get_absolute_url() in found


def test_a_second_run_changes_nothing():
    HubFactory(siret=SCOTTA_SIRET)
    import_acceslibre(path=EXPORT, extracted_on=ON)
    assert import_acceslibre(path=EXPORT, extracted_on=ON)["updated"] == 0


def test_a_value_set_by_hand_stays_and_becomes_a_suggestion():
    hub = HubFactory(siret=SCOTTA_SIRET, entrance=Entrance.RAMP)
    provenance.set_by(hub, "entrance", provenance.CITY, datetime.date(2026, 5, 1))
    hub.save()
    import_acceslibre(path=EXPORT, extracted_on=ON)
    hub.refresh_from_db()
    assert hub.entrance == Entrance.RAMP  # the city checked the ramp in May
    suggestion = RegistrySuggestion.objects.get(hub=hub, field="entrance")
    assert (suggestion.value, suggestion.source) == (Entrance.STEPS, provenance.ACCESLIBRE)


def test_the_hearing_loop_and_trained_staff_are_read(tmp_path):
    hub = HubFactory(siret=SCOTTA_SIRET)
    changed = rows()
    scotta = next(r for r in changed if r["siret"] == SCOTTA_SIRET)
    scotta["accueil_equipements_malentendants"] = '["bim", "lsf"]'
    scotta["accueil_personnels"] = "formés"
    import_acceslibre(path=export_with(tmp_path, changed), extracted_on=ON)
    hub.refresh_from_db()
    assert (hub.hearing_loop, hub.staff_trained) == (Availability.YES, Availability.YES)


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("entree_marches_rampe", "parfois", "entree_marches_rampe is 'parfois', not one of 'aucune', 'fixe'"),
        ("entree_plain_pied", "oui", "entree_plain_pied is 'oui'; acceslibre writes True, False or nothing"),
        ("accueil_personnels", "quelques-uns", "accueil_personnels is 'quelques-uns'"),
        ("accueil_equipements_malentendants", '["télépathie"]', "holds \\['télépathie'\\]"),
    ],
)
def test_a_value_outside_the_schema_is_refused_and_nothing_is_written(tmp_path, column, value, message):
    hub = HubFactory(siret=SCOTTA_SIRET)
    changed = rows()
    changed[-1][column] = value  # the last row, after the matched one: the whole file is refused
    with pytest.raises(ImportProblem, match=f"line 7 .*{message}"):
        import_acceslibre(path=export_with(tmp_path, changed), extracted_on=ON)
    assert Hub.objects.get(pk=hub.pk).entrance == Entrance.UNKNOWN


def test_the_command_names_a_missing_column(tmp_path):
    changed = [{k: v for k, v in row.items() if k != "siret"} for row in rows()]
    with pytest.raises(CommandError, match="column\\(s\\) siret missing.*Nothing was imported"):
        call_command("import_acceslibre", str(export_with(tmp_path, changed)), verbosity=0)


def test_a_manager_describes_the_entrance_of_their_hub_and_it_outlives_the_next_import(client, manager):
    client = logged_in(client, manager)
    data = hub_form(client)
    data.update(entrance=Entrance.RAMP, accessible_toilets=Availability.YES, hearing_loop=Availability.NO)
    assert client.post(change_url(), data).status_code == 302
    hub = Hub.objects.get(slug=BLOSNE)
    assert (hub.entrance, hub.accessible_toilets) == (Entrance.RAMP, Availability.YES)
    assert hub.provenance["entrance"]["by"] == provenance.HUB  # said by the hub itself, dated
    record = hub.history.latest()
    assert (
        record.history_user == manager
        and "entrance" in record.diff_against(record.prev_record).changed_fields
    )
    api = client.get(f"/api/v1/hubs/{hub.pk}/").json()
    assert (api["entrance"], api["accessible_toilets"], api["hearing_loop"]) == ("RAMP", "YES", "NO")
    english = client.get(f"/en/hubs/{BLOSNE}/").content.decode()
    assert "entrance: steps with a ramp" in english and "Accessible toilets" in english
    other = Hub.objects.exclude(slug=BLOSNE).filter(kind=Hub.Kind.MSP).first()
    client.post(change_url(other.slug), {"entrance": Entrance.STEP_FREE})
    assert Hub.objects.get(pk=other.pk).entrance == Entrance.UNKNOWN  # not their hub
