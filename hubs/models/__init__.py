from hubs.models.corrections import CorrectionRequest
from hubs.models.hub import PARIS, Hub, HubQuerySet, french_holidays
from hubs.models.registry import HubRedirect, RegistryRefresh, RegistrySuggestion
from hubs.models.schedule import Closure, OpeningHours
from hubs.models.service import Service
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
    "french_holidays",
]
