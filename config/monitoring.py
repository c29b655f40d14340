"""What the portal tells its operators while it runs: one JSON log line per request, Prometheus metrics, Sentry.

No resident's personal data leaves here: request lines carry the path without its query string (a "near me"
search holds a position), never a body; Sentry gets no cookies, headers, bodies or query strings either.
"""

import hmac
import ipaddress
import logging
import os
import time
from contextlib import ExitStack

import prometheus_client
from django.conf import settings
from django.db import connections
from django.http import Http404, HttpResponse
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

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


class ScheduledJobsCollector:
    """The scheduled work's last success, read from the database at each scrape (any process may have run it)."""

    def collect(self):
        from portal.models import ScheduledJob

        gauge = GaugeMetricFamily(
            "portal_scheduled_job_last_success_timestamp_seconds",
            "When each scheduled job (manage.py run_scheduled) last finished without error",
            labels=["job"],
        )
        for name, done in ScheduledJob.objects.exclude(last_done=None).values_list("name", "last_done"):
            gauge.add_metric([name], done.timestamp())
        yield gauge


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


def metrics(request):
    """Prometheus' text format, for allowed addresses or the bearer token; a 404 for anyone else."""
    if not metrics_allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # gunicorn's workers each count; add them up
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    jobs = prometheus_client.CollectorRegistry()
    jobs.register(ScheduledJobsCollector())
    body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(jobs)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)


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
