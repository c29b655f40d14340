"""The client's address, read the same way by every rate limit and lockout.

Behind a reverse proxy every request comes from the proxy. Only when the socket address is one of
TRUSTED_PROXIES do we read X-Forwarded-For, from the right (the part our proxies appended), skipping
trusted proxies: the first address that is not one is the client. Left-most entries are whatever the
client chose to send, so they are never believed.
"""

import ipaddress

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.TRUSTED_PROXIES or not _is_trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _is_trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # garbage where an address should be: count it against the proxy
    return remote


class AnonymousThrottle(AnonRateThrottle):
    """The public API's limit per client, counted in the shared cache, the address read as above."""

    def get_ident(self, request):
        return client_ip(request)
