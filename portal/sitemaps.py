"""sitemap.xml: every public page a search engine should know, in pages of 5,000 (a sitemap index past that)."""

from django.contrib import sitemaps
from django.urls import reverse

from districts.models import Territory
from hubs.models import Hub
from professionals.models import Professional
from programmes.models import SupportProgramme


class SectionSitemap(sitemaps.Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home", "hubs:list", "professionals:list", "districts:list", "programmes:list",
            "accessibility", "legal_notice", "personal_data", "open_data",
        ]  # fmt: skip

    def location(self, item):
        return reverse(item)


class RecordSitemap(sitemaps.Sitemap):
    """One model's public records, in key order: paging by OFFSET over an index, never loading them all."""

    limit = 5000

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset.order_by("pk")


SITEMAPS = {
    "sections": SectionSitemap(),
    "hubs": RecordSitemap(Hub.objects.published().only("pk", "slug")),
    "professionals": RecordSitemap(Professional.objects.public().only("pk")),
    "territories": RecordSitemap(Territory.objects.only("pk", "slug")),
    "programmes": RecordSitemap(SupportProgramme.objects.only("pk", "slug")),
}
