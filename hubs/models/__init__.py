from hubs.models.corrections import CorrectionRequest
from hubs.models.hub import PARIS, Hub, HubQuerySet, Service, french_holidays
from hubs.models.registry import HubRedirect, RegistrySuggestion
from hubs.models.schedule import Closure, OpeningHours

__all__ = [
    "PARIS",
    "Closure",
    "CorrectionRequest",
    "Hub",
    "HubQuerySet",
    "HubRedirect",
    "RegistrySuggestion",
    "OpeningHours",
    "Service",
    "french_holidays",
]
