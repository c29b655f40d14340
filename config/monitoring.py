"""What the portal tells its operators while it runs: one JSON log line per request, Prometheus metrics, Sentry.

No resident's personal data leaves here: request lines carry the path without its query string (a "near me"
search holds a position), never a body; Sentry gets no cookies, headers, bodies or query strings either.
"""

import hmac
import ipaddress
import logging
import time
from contextlib import ExitStack

import prometheus_client
from django.conf import settings
from django.db import connections

from config.http import client_ip

log = logging.getLogger("portal.requests")

REQUEST_QUERIES = prometheus_client.Histogram(
    "portal_request_queries",
    "Database queries made by one request, by view",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
)
UNLOGGED_PATHS = {"/healthz", "/metrics"}  # probed every few seconds: they would drown the rest


class RequestLog:
    """One line per request: view, status, duration, query count; a warning past SLOW_REQUEST_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(count))
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        view = request.resolver_match.view_name if request.resolver_match else "<unresolved>"
        REQUEST_QUERIES.labels(view).observe(queries[0])
        if request.path not in UNLOGGED_PATHS:
            slow = seconds > settings.SLOW_REQUEST_SECONDS
            log.log(
                logging.WARNING if slow else logging.INFO,
                "slow request" if slow else "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000),
                    "queries": queries[0],
                    "user_id": staff_id(request),
                },
            )
        return response


def staff_id(request) -> int | None:
    """Staff are named by their id; residents (who never sign in) by nothing."""
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated and user.is_staff else None


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)


def scrub_event(event, hint):
    """Sentry's before_send: the error and where it happened, without who it happened to."""
    request = event.get("request", {})
    for key in ("cookies", "data", "query_string", "headers", "env"):
        request.pop(key, None)
    event.pop("user", None)
    return event


def start_sentry(dsn: str, environment: str) -> None:
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        before_send=scrub_event,
        traces_sample_rate=0,
    )
