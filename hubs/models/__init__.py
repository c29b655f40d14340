from hubs.models.corrections import CorrectionRequest
from hubs.models.hub import EDITOR_ONLY_FIELDS, PARIS, Hub, HubQuerySet, french_holidays
from hubs.models.registry import HubRedirect, RegistryRefresh, RegistrySuggestion
from hubs.models.schedule import Closure, OpeningHours
from hubs.models.service import Service

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
    "french_holidays",
]
