"""The directory in FHIR R4 (JSON), as the French Annuaire Santé profiles describe a care directory.

A hub is an Organization (who), a Location (where, with its hours) and a HealthcareService (what it offers);
a professional is a Practitioner, each place they practise a PractitionerRole. Identifiers use the national
systems and the FR Core identifier types (FINESS: FINEG; RPPS). Searches page by id (`_cursor`), like the API.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from config import geo
from config.http import record_id
from hubs.models import Hub
from hubs.schema import CONTACTS
from professionals.models import Membership, Professional

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"
FINESS_SYSTEM = "http://finess.sante.gouv.fr"
RPPS_SYSTEM = "http://rpps.esante.gouv.fr"
IDENTIFIER_TYPES = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
DEFAULT_COUNT, MAX_COUNT = 20, 100
MAX_NEAR_KM = 100
STORABLE_DATES = (datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC), datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC))  # fmt: skip
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PREFIXES = {"eq": "gte", "ge": "gte", "gt": "gt", "le": "lte", "lt": "lt"}


class SearchError(ValueError):
    """A search parameter the server cannot use: a 400 with an OperationOutcome naming it."""


def operation_outcome(message: str, code: str = "invalid") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": message}],
    }


# Resources, from our records. `base` is the site's address, for the codes and references we define.


def compact(resource: dict) -> dict:
    """FHIR wants no empty lists or nulls: an element is there with a value, or not at all."""
    return {k: v for k, v in resource.items() if v not in ([], None)}


def identifier(system: str, value: str, type_code: str, display: str) -> dict:
    coding = {"system": IDENTIFIER_TYPES, "code": type_code, "display": display}
    return {"use": "official", "type": {"coding": [coding]}, "system": system, "value": value}


def meta(record) -> dict:
    return {"lastUpdated": record.updated_at.isoformat()}


def address(hub: Hub) -> list[dict]:
    if not (hub.street or hub.city):
        return []
    found = {"use": "work", "type": "physical", "city": hub.city, "postalCode": hub.postcode, "country": "FR"}
    return [{"line": [hub.street] if hub.street else [], **{k: v for k, v in found.items() if v}}]


def telecom(hub: Hub) -> list[dict]:
    points = [(system, getattr(hub, name)) for name, system in CONTACTS.items()]  # hubs/schema.py
    return [{"system": system, "value": value, "use": "work"} for system, value in points if value]


def available_times(hub: Hub) -> list[dict]:
    return [
        {
            "daysOfWeek": [DAYS[h.weekday]],
            "availableStartTime": h.opens.strftime("%H:%M:%S"),
            "availableEndTime": h.closes.strftime("%H:%M:%S"),
        }
        for h in sorted(hub.opening_hours.all(), key=lambda h: (h.weekday, h.opens))
    ]


def organization(hub: Hub, base: str) -> dict:
    found = {
        "resourceType": "Organization",
        "id": str(hub.pk),
        "meta": meta(hub),
        "identifier": [{"system": f"{base}/hubs/id/", "value": str(hub.pk)}],
        "active": hub.status != Hub.Status.CLOSED,
        "type": [
            {
                "coding": [{"system": f"{base}/fhir/CodeSystem/hub-kind", "code": hub.kind}],
                "text": hub.get_kind_display(),
            }
        ],
        "name": hub.name,
        "telecom": telecom(hub),
        "address": address(hub),
    }
    if hub.finess:
        found["identifier"].insert(
            0, identifier(FINESS_SYSTEM, hub.finess, "FINEG", "FINESS d'entité géographique")
        )
    return compact(found)


def location(hub: Hub, base: str) -> dict:
    found = {
        "resourceType": "Location",
        "id": str(hub.pk),
        "meta": meta(hub),
        "status": "inactive" if hub.status == Hub.Status.CLOSED else "active",
        "name": hub.name,
        "mode": "instance",
        "telecom": telecom(hub),
        "address": (address(hub) or [None])[0],
        "physicalType": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/location-physical-type", "code": "bu"}
            ]
        },
        "managingOrganization": {"reference": f"Organization/{hub.pk}", "display": hub.name},
        "hoursOfOperation": [
            {
                "daysOfWeek": t["daysOfWeek"],
                "openingTime": t["availableStartTime"],
                "closingTime": t["availableEndTime"],
            }
            for t in available_times(hub)
        ],
    }
    if hub.location:
        found["position"] = {"longitude": round(hub.location.x, 6), "latitude": round(hub.location.y, 6)}
    return compact(found)


def healthcare_service(hub: Hub, base: str) -> dict:
    notes = [f"Tiers payant : {({True: 'oui', False: 'non'}).get(hub.tiers_payant, 'non renseigné')}."]
    notes.append(f"Nouveaux patients : {hub.get_accepting_new_patients_display().lower()}.")
    notes.append(f"Accès en fauteuil roulant : {hub.wheelchair_summary().lower()}.")
    found = {
        "resourceType": "HealthcareService",
        "id": str(hub.pk),
        "meta": meta(hub),
        "active": hub.status == Hub.Status.OPEN,
        "providedBy": {"reference": f"Organization/{hub.pk}", "display": hub.name},
        "location": [{"reference": f"Location/{hub.pk}"}],
        "name": hub.name,
        "comment": " ".join(notes),
        "type": [
            {"coding": [{"system": f"{base}/fhir/CodeSystem/service", "code": s.slug, "display": s.name}]}
            for s in sorted(hub.services.all(), key=lambda s: s.name)
        ],
        "telecom": telecom(hub),
        "communication": [{"text": language} for language in hub.language_list()],
        "availableTime": available_times(hub),
    }
    return compact(found)


def practitioner(professional: Professional, base: str) -> dict:
    found = {
        "resourceType": "Practitioner",
        "id": str(professional.pk),
        "meta": meta(professional),
        "identifier": [{"system": f"{base}/professionals/", "value": str(professional.pk)}],
        "active": professional.active,
        "name": [{"use": "usual", "text": professional.display_name}],
        "communication": [
            {"text": lang.strip()} for lang in professional.languages.split(",") if lang.strip()
        ],
    }
    if professional.rpps:
        found["identifier"].insert(0, identifier(RPPS_SYSTEM, professional.rpps, "RPPS", "N° RPPS"))
    return compact(found)


def practitioner_role(membership: Membership, base: str) -> dict:
    professional, hub = membership.professional, membership.hub
    profession = professional.profession
    found = {
        "resourceType": "PractitionerRole",
        "id": str(membership.pk),
        "meta": meta(professional),
        "active": professional.active and hub.status != Hub.Status.CLOSED,
        "practitioner": {
            "reference": f"Practitioner/{professional.pk}",
            "display": professional.display_name,
        },
        "organization": {"reference": f"Organization/{hub.pk}", "display": hub.name},
        "location": [{"reference": f"Location/{hub.pk}"}],
        "healthcareService": [{"reference": f"HealthcareService/{hub.pk}"}],
        "code": [
            {
                "coding": [
                    {
                        "system": f"{base}/fhir/CodeSystem/profession",
                        "code": profession.code,
                        "display": profession.name,
                    }
                ],
                "text": membership.role or profession.name,
            }
        ],
        "availableTime": [{"daysOfWeek": [DAYS[int(d)] for d in sorted(set(membership.days_present))]}]
        if membership.days_present
        else [],
    }
    return compact(found)


# Searches: the parameters each resource type accepts, as query filters.


def last_updated(queryset, value: str, field_name: str = "updated_at"):
    prefix, text = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
    moment = parse_datetime(text)
    if moment is None and (day := parse_date(text)) is not None:
        moment = make_aware(datetime.datetime.combine(day, datetime.time()))
    if moment is None:
        raise SearchError(f"_lastUpdated : « {value} » n'est pas une date FHIR (par exemple ge2026-11-01).")
    if is_naive(moment):
        moment = make_aware(moment)
    # Year 1 or 9999 are FHIR dates, but shifted to UTC they leave what databases store: every record changed
    # between 1900 and 2999, so those bounds answer as the limits would.
    moment = min(max(moment, STORABLE_DATES[0]), STORABLE_DATES[1])
    return queryset.filter(**{f"{field_name}__{PREFIXES[prefix]}": moment})


def reference(value: str, resource: str = "") -> int:
    """A reference ("Practitioner/12" or "12") as a record's id, else a clear error."""
    if (found := record_id(value.removeprefix(f"{resource}/"))) is None:
        raise SearchError(
            f"« {value} » n'est pas une référence à une ressource {resource} (un nombre entier)."
        )
    return found


def by_identifier(queryset, value: str, systems: dict[str, str]):
    system, _, code = value.rpartition("|")
    if system and system not in systems:
        return queryset.none()
    fields = [systems[system]] if system else list(systems.values())
    found = queryset.none()
    for name in fields:
        found = found | queryset.filter(**{name: code})
    return found


def near(queryset, value: str):
    parts = value.split("|")
    try:
        lat, lng = float(parts[0]), float(parts[1])
        km = float(parts[2]) if len(parts) > 2 and parts[2] else 5.0
    except (ValueError, IndexError):
        raise SearchError(
            "near : « latitude|longitude|distance|km », par exemple 48.11|-1.68|2|km."
        ) from None
    unit = parts[3] if len(parts) > 3 else "km"
    km = km / 1000 if unit == "m" else km
    if unit not in ("km", "m") or not geo.is_lat_lng(lat, lng) or not 0 < km <= MAX_NEAR_KM:
        raise SearchError("near : une position sur la Terre et une distance d'au plus 100 km, en km ou en m.")
    return queryset.near(geo.point(lat=lat, lng=lng), km=km)


@dataclass
class ResourceType:
    build: Callable
    records: Callable
    params: dict[str, Callable] = field(default_factory=dict)


def published_hubs():
    return Hub.objects.published().for_listing()


def public_roles():
    roles = Membership.objects.public().filter(professional__listed=True)
    return roles.select_related("professional__profession", "hub")


HUB_PARAMS = {
    "_lastUpdated": last_updated,
    "address-city": lambda qs, v: qs.filter(city__istartswith=v),
    "name": lambda qs, v: qs.filter(name__icontains=v),
    "identifier": lambda qs, v: by_identifier(qs, v, {FINESS_SYSTEM: "finess"}),
}
TYPES = {
    "Organization": ResourceType(organization, published_hubs, HUB_PARAMS),
    "Location": ResourceType(location, published_hubs, {**HUB_PARAMS, "near": near}),
    "HealthcareService": ResourceType(healthcare_service, published_hubs, HUB_PARAMS),
    "Practitioner": ResourceType(
        practitioner,
        lambda: Professional.objects.public().select_related("profession"),
        {
            "_lastUpdated": last_updated,
            "name": lambda qs, v: qs.filter(display_name__icontains=v),
            "identifier": lambda qs, v: by_identifier(qs, v, {RPPS_SYSTEM: "rpps"}),
        },
    ),
    "PractitionerRole": ResourceType(
        practitioner_role,
        public_roles,
        {
            "_lastUpdated": lambda qs, v: last_updated(qs, v, "professional__updated_at"),
            "address-city": lambda qs, v: qs.filter(hub__city__istartswith=v),
            "practitioner": lambda qs, v: qs.filter(professional_id=reference(v, "Practitioner")),
            "organization": lambda qs, v: qs.filter(hub_id=reference(v, "Organization")),
            "identifier": lambda qs, v: by_identifier(qs, v, {RPPS_SYSTEM: "professional__rpps"}),
        },
    ),
}
PAGING = {"_count", "_cursor", "_format"}


def search(resource_type: ResourceType, params) -> tuple[list, int]:
    """The records a search finds, one page of them by id, and the page's size."""
    queryset = resource_type.records()
    for name, value in params.items():
        if name in PAGING:
            continue
        if name not in resource_type.params:
            raise SearchError(f"Paramètre de recherche non pris en charge : {name}.")
        try:
            queryset = resource_type.params[name](queryset, value)
        except SearchError:
            raise
        except (ValueError, TypeError):
            raise SearchError(f"{name} : valeur « {value} » invalide.") from None
    try:
        count = min(int(params.get("_count", DEFAULT_COUNT)), MAX_COUNT)
        after = reference(params.get("_cursor", "0"))
    except (ValueError, SearchError):
        raise SearchError("_count et _cursor sont des nombres entiers.") from None
    if count < 1:
        raise SearchError("_count vaut au moins 1.")
    return list(queryset.filter(pk__gt=after).order_by("pk")[: count + 1]), count


def bundle(records: list, count: int, *, build: Callable, base: str, self_url: str, next_url) -> dict:
    found = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [{"relation": "self", "url": self_url}],
        "entry": [],
    }
    for record in records[:count]:
        resource = build(record, base)
        found["entry"].append(
            {
                "fullUrl": f"{base}/fhir/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
        )
    if len(records) > count:
        found["link"].append({"relation": "next", "url": next_url(records[count - 1].pk)})
    return found


def capability_statement(base: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-23",
        "kind": "instance",
        "implementation": {"description": "Annuaire des lieux de santé", "url": f"{base}/fhir"},
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {
                        "type": name,
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": param, "type": search_param_type(param)}
                            for param in [*spec.params, "_count"]
                        ],
                    }
                    for name, spec in TYPES.items()
                ],
            }
        ],
    }


def search_param_type(name: str) -> str:
    return {
        "_lastUpdated": "date",
        "identifier": "token",
        "near": "special",
        "_count": "number",
        "practitioner": "reference",
        "organization": "reference",
    }.get(name, "string")
