"""Getting there: a GTFS feed's stops and lines, read all or nothing, and the stops within 500 m of a hub."""

import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from config import geo
from config.imports import ImportProblem
from hubs.gtfs import import_gtfs
from hubs.models import Hub, TransitFeed, TransitRoute, TransitStop
from hubs.models.transit import walking_minutes
from portal.management.commands.load_demo import DATA
from tests.factories import HubFactory
from tests.staff import BLOSNE, SABOURAUD

pytestmark = pytest.mark.django_db
STAR = DATA / "star_rennes_2012_extrait.zip"


def feed_zip(tmp_path, *, leave_out=(), **replace) -> str:
    """The real STAR excerpt, with files left out or replaced by rows (a list of dicts)."""
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(STAR) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            if name in leave_out:
                continue
            stem = name.removesuffix(".txt")
            if stem in replace:
                rows = replace[stem]
                buffer = io.StringIO()
                writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
                target.writestr(name, buffer.getvalue())
            else:
                target.writestr(name, source.read(name))
    return path


def table(name):
    with zipfile.ZipFile(STAR) as source:
        return list(csv.DictReader(io.TextIOWrapper(source.open(name), encoding="utf-8-sig")))


def test_the_demo_feed_holds_the_real_stops_and_lines():
    feed = TransitFeed.objects.get(code="star")
    assert feed.publisher == "Keolis Rennes" and feed.valid_from.isoformat() == "2012-07-09"
    assert feed.stops.count() == 72 and feed.routes.count() == 14
    triangle = TransitStop.objects.filter(name="Triangle").first()
    assert set(triangle.routes.values_list("short_name", flat=True)) >= {"33"}
    line_4 = TransitRoute.objects.get(feed=feed, short_name="4")
    assert (line_4.mode, line_4.color, line_4.text_color) == ("BUS", "6F177E", "FFFFFF")  # upper-cased


def test_importing_the_same_feed_again_changes_nothing():
    before = sorted(TransitStop.objects.values_list("gtfs_id", "name", "routes__gtfs_id"))
    counts = import_gtfs(path=STAR, code="star")
    assert counts == {"stops": 72, "routes": 14, "calls": 107}
    assert sorted(TransitStop.objects.values_list("gtfs_id", "name", "routes__gtfs_id")) == before
    assert TransitFeed.objects.count() == 1


@pytest.mark.parametrize("metres, minutes", [(0, 1), (100, 2), (200, 4), (500, 9)])
def test_walking_time_is_the_straight_line_lengthened_by_a_third_at_4_5_km_h(metres, minutes):
    assert walking_minutes(metres) == minutes  # 200 m × 1.3 / 75 m a minute = 3.5, said as 4


def test_a_hub_page_lists_the_stops_within_500_m_nearest_first_with_their_lines(client):
    page = client.get(Hub.objects.get(slug=BLOSNE).get_absolute_url()).content.decode()
    section = page[page.index('id="transit-title"') :]
    assert "Torigné</strong> — 100 m, environ 2 min à pied" in section
    assert section.index("Torigné") < section.index("Triangle") < section.index("Hôpital Sud")
    assert 'data-colour="FEF466"' in section and "bus 33" in section
    assert "à vol d'oiseau" in section and "pas un itinéraire" in section
    assert "Keolis Rennes" in section and "9 juillet 2012" in section  # who says so, and when


def test_the_hub_map_shows_the_stops_beside_the_hub(client):
    page = client.get(Hub.objects.get(slug=BLOSNE).get_absolute_url())
    features = page.context["map_data"]["features"]
    stops = [f for f in features if f["properties"].get("stop")]
    assert [f["properties"]["name"] for f in stops][:2] == ["Torigné", "Triangle"]
    assert "bus 61" in stops[1]["properties"]["kind"]


def test_inside_a_feed_area_but_far_from_stops_the_page_says_so(client):
    page = client.get(Hub.objects.get(slug=SABOURAUD).get_absolute_url()).content.decode()
    assert "Aucun arrêt à moins de 500 m à vol d'oiseau." in page


def test_outside_every_feed_area_the_page_says_nothing_about_transport(client):
    """No Lille feed is imported: no stop is no data there, not a fact about the place."""
    hub = HubFactory(name="Centre de Lille", city="Lille", location=geo.point(lat=50.6292, lng=3.0573))
    assert "Venir en transports en commun" not in client.get(hub.get_absolute_url()).content.decode()


def test_the_lines_of_a_stop_appear_once_whatever_its_platforms(client):
    """Triangle has three platforms; the page lists the stop once with every line calling at one of them."""
    page = client.get(Hub.objects.get(slug=BLOSNE).get_absolute_url())
    triangle = [s for s in page.context["stops"] if s.name == "Triangle"]
    assert len(triangle) == 1
    assert [line.short_name for line in triangle[0].lines] == ["33", "61", "TTZ"]


class TestBadFeeds:
    """Each refused with its reason, and the feed already imported stays as it was."""

    def assert_refused(self, path, message):
        before = list(TransitStop.objects.order_by("pk").values_list("pk", flat=True))
        with pytest.raises(ImportProblem, match=message):
            import_gtfs(path=path, code="star")
        assert list(TransitStop.objects.order_by("pk").values_list("pk", flat=True)) == before

    def test_a_missing_file(self, tmp_path):
        self.assert_refused(feed_zip(tmp_path, leave_out=["stop_times.txt"]), "stop_times.txt missing")

    def test_not_a_zip(self, tmp_path):
        path = tmp_path / "feed.zip"
        path.write_text("stop_id,stop_name\n")
        self.assert_refused(path, "not a readable zip file")

    def test_an_unknown_route_type(self, tmp_path):
        routes = table("routes.txt")
        routes[0]["route_type"] = "42"
        self.assert_refused(feed_zip(tmp_path, routes=routes), r"routes.txt line 2: route_type 42")

    def test_a_colour_that_is_not_hexadecimal(self, tmp_path):
        routes = table("routes.txt")
        routes[1]["route_color"] = "purple"
        self.assert_refused(feed_zip(tmp_path, routes=routes), "routes.txt line 3: colour 'PURPLE'")

    def test_a_stop_without_a_position(self, tmp_path):
        stops = table("stops.txt")
        stops[4]["stop_lat"] = ""
        self.assert_refused(
            feed_zip(tmp_path, stops=stops), "stops.txt line 6: stop .* has no valid position"
        )

    def test_a_trip_on_a_line_that_does_not_exist(self, tmp_path):
        trips = table("trips.txt")
        trips[0]["route_id"] = "9999"
        self.assert_refused(
            feed_zip(tmp_path, trips=trips), "trips.txt line 2: .* route '9999', not in routes.txt"
        )

    def test_a_missing_column(self, tmp_path):
        stops = [{k: v for k, v in row.items() if k != "stop_lon"} for row in table("stops.txt")]
        self.assert_refused(feed_zip(tmp_path, stops=stops), "stops.txt has no column stop_lon")

    def test_the_command_says_nothing_was_imported(self, tmp_path):
        with pytest.raises(CommandError, match="stop_times.txt missing.*Nothing was imported"):
            call_command(
                "import_gtfs",
                str(feed_zip(tmp_path, leave_out=["stop_times.txt"])),
                "--code",
                "star",
                verbosity=0,
            )


def test_extended_route_types_are_understood(tmp_path):
    routes = table("routes.txt")
    routes[0]["route_type"] = "700"  # "bus service" in the extended types
    routes[1]["route_type"] = "401"  # "metro service"
    import_gtfs(path=feed_zip(tmp_path, routes=routes), code="other")
    modes = dict(TransitRoute.objects.filter(feed__code="other").values_list("gtfs_id", "mode"))
    assert (modes[routes[0]["route_id"]], modes[routes[1]["route_id"]]) == ("BUS", "METRO")
