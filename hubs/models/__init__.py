from hubs.models.corrections import CorrectionRequest
from hubs.models.hub import Hub, HubQuerySet
from hubs.models.registry import HubRedirect, RegistryRefresh, RegistrySuggestion
from hubs.models.schedule import PARIS, Closure, OpeningHours, french_holidays
from hubs.models.service import Service
from hubs.models.transit import TransitFeed, TransitRoute, TransitStop, transit_near
from hubs.schema import EDITOR_ONLY_FIELDS

__all__ = [
    "EDITOR_ONLY_FIELDS",
    "PARIS",
    "Closure",
    "CorrectionRequest",
    "Hub",
    "HubQuerySet",
    "HubRedirect",
    "RegistryRefresh",
    "RegistrySuggestion",
    "OpeningHours",
    "Service",
    "TransitFeed",
    "TransitRoute",
    "TransitStop",
    "french_holidays",
    "transit_near",
]
