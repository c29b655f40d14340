"""The client's address, read the same way by every rate limit and lockout, and the counters they keep.

Behind a reverse proxy every request comes from the proxy. Only when the socket address is one of
TRUSTED_PROXIES do we read X-Forwarded-For, from the right (the part our proxies appended), skipping
trusted proxies: the first address that is not one is the client. Left-most entries are whatever the
client chose to send, so they are never believed.

Counters live in their own table, not in the cache: a cache is culled when full, and anonymous traffic
could fill it to wipe the counters. Each take is one atomic upsert, so simultaneous requests cannot all pass.
"""

import hashlib
import ipaddress
import random
import time

from django.conf import settings
from django.db import connection
from django.urls import register_converter
from rest_framework.throttling import AnonRateThrottle

COUNTER_TABLE = "portal_rate_counter"
IPV6_PREFIX = 64  # one subscriber gets a whole /64: counting per address would give them 2^64 tries


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


def client_key(request) -> str:
    """Who a limit counts: the client's address, or its /64 network for IPv6 (as its base address)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return str(ip)


def create_counter_table(schema_connection) -> None:
    """Run by portal's migration, as `createcachetable` is for the cache."""
    with schema_connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {COUNTER_TABLE} "
            "(bucket varchar(255) PRIMARY KEY, count integer NOT NULL, expires bigint NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {COUNTER_TABLE}_expires ON {COUNTER_TABLE} (expires)")


def take(scope: str, key: str, *, limit: int, seconds: int) -> tuple[bool, int]:
    """Count one more for `key` in the current window: (still within the limit?, seconds left in the window).

    One INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL, and SQLite since 3.35): the row is locked while
    it is incremented, so of N simultaneous requests exactly `limit` pass.
    """
    now = int(time.time())
    window = now // seconds
    expires = (window + 1) * seconds
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {COUNTER_TABLE} (bucket, count, expires) VALUES (%s, 1, %s) "
            f"ON CONFLICT (bucket) DO UPDATE SET count = {COUNTER_TABLE}.count + 1 RETURNING count",
            # Hashed: the table never holds a client's address, only a count that expires.
            [hashlib.sha256(f"{scope}:{key}:{window}".encode()).hexdigest(), expires],
        )
        (count,) = cursor.fetchone()
        if count == 1 and random.random() < 0.01:  # noqa: S311 (housekeeping, not security)
            cursor.execute(f"DELETE FROM {COUNTER_TABLE} WHERE expires < %s", [now])
    return count <= limit, expires - now


def forget_expired_counters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTER_TABLE} WHERE expires < %s", [int(time.time())])
        return cursor.rowcount


class AnonymousThrottle(AnonRateThrottle):
    """The public API's limit per client, counted as above (not in the cache DRF would use)."""

    def allow_request(self, request, view):
        if self.rate is None or (request.user and request.user.is_authenticated):
            return True
        allowed, self.seconds_left = take(
            "api", client_key(request), limit=self.num_requests, seconds=self.duration
        )
        return allowed

    def wait(self):
        return getattr(self, "seconds_left", None)


# Ids in public input (URLs, cursors, references): at most 18 digits, below what any database integer holds. A
# 20-digit id overflows SQLite's integers (a 500) where it should simply find nothing or be refused.
MAX_ID_DIGITS = 18


def record_id(text: str) -> int | None:
    """A record's id read from public input, or None when it cannot be one."""
    return int(text) if text.isdigit() and len(text) <= MAX_ID_DIGITS else None


class RecordId:
    """`<id:pk>` in a URL (Django's `<int:…>` takes any length)."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RecordId, "id")
