"""/hubs/map.geojson: one point per hub while they are few in view, grid clusters past that."""

import json

import pytest

from config import geo
from hubs import map_data
from hubs.models import Hub
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db


def collection(client, **params):
    response = client.get("/hubs/map.geojson", params)
    assert response.status_code == 200
    return json.loads(response.content)


def located_published():
    return Hub.objects.published().filter(location__isnull=False).count()


def test_few_hubs_come_as_points_with_the_shared_kind_labels(client):
    data = collection(client)
    assert "clustered" not in data
    assert len(data["features"]) == located_published()
    assert all("name" in f["properties"] and "count" not in f["properties"] for f in data["features"])


def test_many_hubs_in_view_come_as_clusters_that_count_every_hub(client, monkeypatch):
    monkeypatch.setattr(map_data, "CLUSTER_ABOVE", 3)
    map_data.forget_maps()
    for offset in range(4):  # four more in one spot of Rennes: one cell at any national zoom
        HubFactory(published=True, location=geo.point(lat=48.11, lng=-1.68 + offset * 1e-4))
    data = collection(client, zoom=5)
    assert data["clustered"] is True
    clusters = [f for f in data["features"] if "count" in f["properties"]]
    singles = [f for f in data["features"] if "count" not in f["properties"]]
    assert clusters and sum(f["properties"]["count"] for f in clusters) + len(singles) == located_published()
    assert len(data["features"]) < located_published()


def test_zoomed_in_the_same_hubs_come_apart(client, monkeypatch):
    monkeypatch.setattr(map_data, "CLUSTER_ABOVE", 3)
    map_data.forget_maps()
    national = collection(client, zoom=5)["features"]
    street = collection(client, zoom=20)["features"]
    assert len(street) > len(national)


@pytest.mark.parametrize("zoom", ["-1", "21", "x", "1e300"])
def test_a_bad_zoom_is_a_400(client, zoom):
    response = client.get("/hubs/map.geojson", {"zoom": zoom})
    assert response.status_code == 400 and "zoom" in response.json()["errors"]


def test_the_map_answer_is_cached_until_a_hub_is_written(client, django_assert_max_num_queries):
    collection(client)
    expected = located_published()
    with django_assert_max_num_queries(2):  # the version and the answer, from the shared cache
        assert len(collection(client)["features"]) == expected
    HubFactory(published=True)
    assert len(collection(client)["features"]) == located_published()
