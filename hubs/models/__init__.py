from hubs.models.corrections import CorrectionRequest
from hubs.models.hub import PARIS, Hub, HubQuerySet, Service, french_holidays
from hubs.models.schedule import Closure, OpeningHours

__all__ = [
    "PARIS",
    "Closure",
    "CorrectionRequest",
    "Hub",
    "HubQuerySet",
    "OpeningHours",
    "Service",
    "french_holidays",
]
