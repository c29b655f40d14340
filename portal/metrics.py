"""/metrics for Prometheus: django-prometheus' request counters and latencies, the requests' query counts
(config.monitoring) and the scheduled work's last success (this module, read from the database)."""

import os

import prometheus_client
from django.http import Http404, HttpResponse
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from config.monitoring import metrics_allowed
from portal.models import ScheduledJob


class ScheduledJobsCollector:
    """The scheduled work's last success, read from the database at each scrape (any process may have run it)."""

    def collect(self):
        gauge = GaugeMetricFamily(
            "portal_scheduled_job_last_success_timestamp_seconds",
            "When each scheduled job (manage.py run_scheduled) last finished without error",
            labels=["job"],
        )
        for name, done in ScheduledJob.objects.exclude(last_done=None).values_list("name", "last_done"):
            gauge.add_metric([name], done.timestamp())
        yield gauge


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
