"""What the API publishes of each record: public fields only, the same rules as the public pages.

Each list has a JSON form, a flat row for CSV and, where the record has a place, a GeoJSON feature.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelListSerializer, GeoFeatureModelSerializer

from config import geo
from districts import stats
from districts.models import DensityFigure, Territory
from hubs.models import Hub, OpeningHours, Service
from professionals.models import Professional
from programmes.models import Funder, Funding, SupportProgramme

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def osm_opening_hours(hours) -> str:
    """OpenStreetMap's opening_hours syntax ("Mo 08:30-12:30,14:00-19:00; Tu …"): what reusers already parse."""
    days: dict[int, list[str]] = {}
    for h in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        days.setdefault(h.weekday, []).append(f"{h.opens:%H:%M}-{h.closes:%H:%M}")
    return "; ".join(f"{OSM_DAYS[day]} {','.join(spans)}" for day, spans in days.items())


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.ReadOnlyField):
    """The record's public page, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, record):
        request = self.context.get("request")
        path = record.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class TerritoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Territory
        fields = ["id", "slug", "name", "level"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["slug", "name", "category"]


class OpeningHoursSerializer(serializers.ModelSerializer):
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


class HubSerializer(serializers.ModelSerializer):
    page_url = PageUrlField()
    kind_label = serializers.CharField(source="get_kind_display")
    territory = TerritoryRefSerializer(read_only=True)
    position = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    opening_hours = serializers.SerializerMethodField()
    opening_hours_osm = serializers.SerializerMethodField()
    closures = serializers.SerializerMethodField()
    languages = serializers.ListField(source="language_list", child=serializers.CharField())
    booking_platform = serializers.CharField(read_only=True)
    distance_km = serializers.SerializerMethodField()

    class Meta:
        model = Hub
        fields = [
            "id", "slug", "page_url", "name", "kind", "kind_label", "status", "description",
            "street", "postcode", "city", "territory", "position",
            "phone", "email", "website", "booking_url", "booking_platform", "booking_by_phone_only",
            "services", "opening_hours", "opening_hours_osm", "closures",
            "tiers_payant", "accepting_new_patients", "accepting_as_of", "wheelchair_access", "entrance",
            "accessible_parking", "accessible_toilets", "hearing_loop", "staff_trained", "acceslibre_url", "languages",
            "finess", "ars_recognised", "opened_on", "last_verified_on",
            "source", "source_url", "is_demo", "updated_at", "distance_km",
        ]  # fmt: skip

    def get_position(self, hub) -> dict | None:
        return {"lat": hub.location.y, "lng": hub.location.x} if hub.location else None

    # Plain dicts rather than nested serializers: a page of 200 hubs is four times quicker to write.
    @extend_schema_field(ServiceSerializer(many=True))
    def get_services(self, hub) -> list[dict]:
        return [
            {"slug": s.slug, "name": s.name, "category": s.category}
            for s in sorted(hub.services.all(), key=lambda s: s.name)
        ]

    @extend_schema_field(OpeningHoursSerializer(many=True))
    def get_opening_hours(self, hub) -> list[dict]:
        return [
            {"weekday": h.weekday, "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
            for h in sorted(hub.opening_hours.all(), key=lambda h: (h.weekday, h.opens))
        ]

    def get_opening_hours_osm(self, hub) -> str:
        return osm_opening_hours(hub.opening_hours.all())

    def get_closures(self, hub) -> list[dict]:
        return [
            {"starts_on": c.starts_on.isoformat(), "ends_on": c.ends_on.isoformat(), "reason": c.reason}
            for c in sorted(hub.closures.all(), key=lambda c: c.starts_on)
        ]

    def get_distance_km(self, hub) -> float | None:
        distance = getattr(hub, "distance", None)
        return round(distance.km, 3) if distance is not None else None


class HubRowSerializer(HubSerializer):
    """One CSV line a hub: nested values as text a spreadsheet shows in one cell."""

    territory = serializers.CharField(source="territory.name", default="")
    lat = serializers.FloatField(source="location.y", default=None)
    lng = serializers.FloatField(source="location.x", default=None)
    services = serializers.SerializerMethodField()
    languages = serializers.CharField()

    class Meta(HubSerializer.Meta):
        fields = [f for f in HubSerializer.Meta.fields if f not in {"position", "opening_hours", "closures"}]
        fields[fields.index("territory") + 1 : fields.index("territory") + 1] = ["lat", "lng"]

    def get_services(self, hub) -> str:
        return ", ".join(sorted(s.name for s in hub.services.all()))


class PropertiesAsJSON:
    """A GeoJSON feature's properties are the record's JSON form (its geometry stands for its position)."""

    json_serializer: type

    def get_properties(self, instance, fields):
        # One JSON serializer for the whole page: building one per feature costs more than the features.
        key = f"json:{self.json_serializer.__name__}"
        properties = self.context.setdefault(
            key, self.json_serializer(context=self.context)
        ).to_representation(instance)
        properties.pop("position", None)
        return properties


class HubFeatureSerializer(PropertiesAsJSON, GeoFeatureModelSerializer):
    """A hub as a GeoJSON feature (RFC 7946): the JSON fields, the position as the geometry."""

    location = GeometryField(precision=geo.COORDINATE_DECIMALS)

    class Meta:
        model = Hub
        geo_field = "location"
        id_field = "id"
        fields = ["id", "location"]

    json_serializer = HubSerializer


class ProfessionalSerializer(serializers.ModelSerializer):
    page_url = PageUrlField()
    profession = serializers.CharField(source="profession.code")
    profession_label = serializers.CharField(source="profession.name")
    languages = serializers.SerializerMethodField()
    booking_platform = serializers.CharField(read_only=True)
    hubs = serializers.SerializerMethodField()

    class Meta:
        model = Professional
        fields = [
            "id", "page_url", "display_name", "rpps", "profession", "profession_label", "languages",
            "booking_url", "booking_platform", "booking_by_phone_only", "sector", "optam", "carte_vitale",
            "fees_as_of", "accepting_new_patients", "accepting_as_of", "hubs", "is_demo", "updated_at",
        ]  # fmt: skip

    def get_languages(self, professional) -> list[str]:
        return [lang.strip() for lang in professional.languages.split(",") if lang.strip()]

    def get_hubs(self, professional) -> list[dict]:
        """Published hubs only (from `public_memberships`, prefetched): what the public page shows."""
        return [
            {"id": m.hub.pk, "slug": m.hub.slug, "name": m.hub.name, "role": m.role}
            for m in professional.public_memberships
        ]


class ProfessionalRowSerializer(ProfessionalSerializer):
    languages = serializers.CharField()
    hubs = serializers.SerializerMethodField()

    def get_hubs(self, professional) -> str:
        return ", ".join(m.hub.name for m in professional.public_memberships)


class DensityFigureSerializer(serializers.ModelSerializer):
    profession = serializers.CharField(source="profession.code")
    profession_label = serializers.CharField(source="profession.name")
    per_10k = serializers.FloatField()

    class Meta:
        model = DensityFigure
        fields = ["profession", "profession_label", "per_10k", "year", "source", "source_url"]


class CountsForThePage:
    """A page of territories reads the directory's counts in one query, not one per territory."""

    def to_representation(self, data):
        territories = list(data)
        self.child.context["counts"] = stats.directory_counts([t.pk for t in territories])
        return super().to_representation(territories)


class TerritoryListSerializer(CountsForThePage, serializers.ListSerializer):
    pass


class TerritoryFeatureListSerializer(CountsForThePage, GeoFeatureModelListSerializer):
    pass


class TerritorySerializer(serializers.ModelSerializer):
    page_url = PageUrlField()
    parent = TerritoryRefSerializer(read_only=True)
    official_figures = serializers.SerializerMethodField()
    computed = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField()
    official_apl = serializers.SerializerMethodField()

    class Meta:
        model = Territory
        list_serializer_class = TerritoryListSerializer
        fields = [
            "id", "slug", "page_url", "name", "level", "code", "parent", "is_priority_area",
            "population", "population_year", "population_source", "official_figures", "computed", "access",
            "official_apl", "updated_at",
        ]  # fmt: skip

    def counts(self, territory) -> stats.Counts:
        counts = self.context.get("counts") or stats.directory_counts([territory.pk])
        return counts.get(territory.pk, stats.Counts())

    def get_access(self, territory) -> dict | None:  # null where the population grid does not cover it
        access, complete = getattr(territory, "access", None), self.counts(territory).complete_for_gps
        if access is None or not access.computed_at:
            return None
        return access.as_dict(complete_source=complete.source if complete else None)

    def get_official_apl(self, territory) -> list[dict]:  # the DREES's, per commune, newest first
        return [f.as_dict() for f in sorted(territory.apl_figures.all(), key=lambda f: -f.year)]

    @extend_schema_field(DensityFigureSerializer(many=True))
    def get_official_figures(self, territory) -> list[dict]:
        return DensityFigureSerializer(stats.newest_first(territory.densities.all()), many=True).data

    def get_computed(self, territory) -> dict:
        """Figures computed from this directory (published hubs, active professionals), never official."""
        mine = self.counts(territory)
        return {
            "hubs": mine.hubs,
            "general_practitioners": mine.gps,
            "general_practitioners_per_10k": stats.computed_density(mine, territory.population),
            "source": "Annuaire des lieux de santé (ce portail)",
            "complete_according_to": mine.complete_for_gps.source if mine.complete_for_gps else None,
        }


class TerritoryRowSerializer(TerritorySerializer):
    parent = serializers.CharField(source="parent.name", default="")
    official_gp_per_10k = serializers.SerializerMethodField()
    official_gp_source = serializers.SerializerMethodField()
    computed_gp_per_10k = serializers.SerializerMethodField()
    hubs_in_directory = serializers.SerializerMethodField()
    share_within_1km_of_gp = serializers.SerializerMethodField()
    score_2sfca_gp_per_10k = serializers.SerializerMethodField()

    class Meta(TerritorySerializer.Meta):
        fields = [f for f in TerritorySerializer.Meta.fields if f not in {"official_figures", "computed", "access", "official_apl"}] + [
            "official_gp_per_10k", "official_gp_source", "computed_gp_per_10k", "hubs_in_directory",
            "share_within_1km_of_gp", "score_2sfca_gp_per_10k",
        ]  # fmt: skip

    def _gp_figure(self, territory):
        return stats.latest([f for f in territory.densities.all() if f.profession.counts_as_gp])

    def get_official_gp_per_10k(self, territory):
        figure = self._gp_figure(territory)
        return figure.per_10k if figure else None

    def get_official_gp_source(self, territory) -> str:
        figure = self._gp_figure(territory)
        return f"{figure.source} ({figure.year or 'année non précisée'})" if figure else ""

    def get_computed_gp_per_10k(self, territory):
        return self.get_computed(territory)["general_practitioners_per_10k"]

    def get_hubs_in_directory(self, territory) -> int:
        return self.get_computed(territory)["hubs"]

    def get_share_within_1km_of_gp(self, territory) -> float | None:
        return ((self.get_access(territory) or {}).get("share_within_metres_of_gp") or {}).get("1000")

    def get_score_2sfca_gp_per_10k(self, territory) -> float | None:
        return (self.get_access(territory) or {}).get("score_2sfca_gp_per_10k")


class OutlineField(GeometryField):
    """A boundary as the site's maps draw it: simplified (about 10 m) and rounded, a fraction of the size."""

    def to_representation(self, value):
        return geo.outline(value) if value else None


class TerritoryFeatureSerializer(PropertiesAsJSON, GeoFeatureModelSerializer):
    boundary = OutlineField()

    class Meta:
        model = Territory
        list_serializer_class = TerritoryFeatureListSerializer
        geo_field = "boundary"
        id_field = "id"
        fields = ["id", "boundary"]

    json_serializer = TerritorySerializer


class FunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funder
        fields = ["id", "slug", "name", "kind", "website"]


class FundingSerializer(serializers.ModelSerializer):
    hub = serializers.SerializerMethodField()

    class Meta:
        model = Funding
        fields = ["hub", "amount", "year", "note"]

    def get_hub(self, funding) -> dict:
        return {"id": funding.hub.pk, "slug": funding.hub.slug, "name": funding.hub.name}


class ProgrammeSerializer(serializers.ModelSerializer):
    page_url = PageUrlField()
    status = serializers.CharField()
    funders = FunderSerializer(many=True, read_only=True)
    support_types = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    beneficiaries = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    territories = TerritoryRefSerializer(many=True, read_only=True)
    fundings = serializers.SerializerMethodField()

    class Meta:
        model = SupportProgramme
        fields = [
            "id", "slug", "page_url", "name", "status", "funders", "support_types", "beneficiaries",
            "eligibility", "max_amount", "total_budget", "budget_period", "starts_on", "starts_year_only", "ends_on",
            "application_deadline", "call_for_projects", "recurrence", "territories", "description",
            "url", "source", "fundings", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(FundingSerializer(many=True))
    def get_fundings(self, programme) -> list[dict]:
        """Support given to published hubs (prefetched as `public_fundings`)."""
        return FundingSerializer(programme.public_fundings, many=True).data


class ProgrammeRowSerializer(ProgrammeSerializer):
    funders = serializers.SerializerMethodField()
    support_types = serializers.SerializerMethodField()
    beneficiaries = serializers.SerializerMethodField()
    territories = serializers.SerializerMethodField()
    fundings = serializers.SerializerMethodField()

    def get_funders(self, programme) -> str:
        return ", ".join(f.name for f in programme.funders.all())

    def get_support_types(self, programme) -> str:
        return ", ".join(s.code for s in programme.support_types.all())

    def get_beneficiaries(self, programme) -> str:
        return ", ".join(b.code for b in programme.beneficiaries.all())

    def get_territories(self, programme) -> str:
        return ", ".join(t.name for t in programme.territories.all())

    def get_fundings(self, programme) -> str:
        return ", ".join(f"{f.hub.name} ({f.year or '?'})" for f in programme.public_fundings)
