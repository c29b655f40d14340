"""What search engines and link previews read: robots.txt, sitemap.xml, descriptions, canonical links."""

import re
import xml.etree.ElementTree as ET

import pytest

from hubs.models import Hub
from professionals.models import Professional
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_the_sitemap_lists_every_public_record_and_nothing_hidden(client):
    hidden = HubFactory(published=False, slug="cabinet-cache")
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for section in index.findall("s:sitemap/s:loc", NS):
        page = client.get(section.text.replace("http://testserver", ""))
        assert page.status_code == 200
        urls += [loc.text for loc in ET.fromstring(page.content).findall("s:url/s:loc", NS)]
    assert "http://testserver/" in urls
    for hub in Hub.objects.published():
        assert f"http://testserver{hub.get_absolute_url()}" in urls
    assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    people = [u for u in urls if re.search(r"/professionals/\d+/$", u)]
    assert len(people) == Professional.objects.public().count() > 0
    assert (
        "http://testserver/districts/le-blosne/" in urls
        and "http://testserver/programmes/psla-normandie/" in urls
    )


def test_pages_describe_themselves_with_a_canonical_address(client):
    page = client.get("/hubs/centre-de-sante-communautaire-du-blosne/", {"utm": "x"}).content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)"', page).group(1)
    assert description.startswith("Centre de santé à Rennes : adresse, horaires")
    assert (
        '<link rel="canonical" href="http://testserver/hubs/centre-de-sante-communautaire-du-blosne/">'
        in page
    )
    assert '<meta property="og:title" content="Centre de santé communautaire du Blosne">' in page
    home = client.get("/").content.decode()
    assert '<meta name="description" content="Trouver un lieu de santé près de chez soi' in home
