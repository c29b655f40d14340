"""What operators see while the portal runs: request ids, JSON log lines without residents' data, /metrics."""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families
from pythonjsonlogger.json import JsonFormatter

from config.monitoring import scrub_event
from tests.staff import BLOSNE

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The JSON lines the configured console handler writes, as dicts."""
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


def test_every_response_carries_a_request_id_and_keeps_the_proxys(client):
    made = client.get("/hubs/").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/hubs/").headers["X-Request-ID"] != made
    from_nginx = "0123456789abcdef0123456789abcdef"
    assert client.get("/healthz", headers={"X-Request-ID": from_nginx}).headers["X-Request-ID"] == from_nginx
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_a_request_is_one_json_line_with_its_id_and_nothing_a_resident_typed(client, log_lines):
    client.post(
        reverse("hubs:report", args=[BLOSNE]),
        {"message": "Mon voisin Jean Dupont dit que c'est fermé", "contact": "jean.dupont@example.org"},
    )
    client.get("/hubs/", {"lat": "48.1215", "lng": "-1.7094", "radius_km": "2"})
    lines = [line for line in log_lines() if line["logger"] == "portal.requests"]
    report, search = lines
    assert report["path"] == f"/hubs/{BLOSNE}/signaler/" and report["status"] == 302
    assert report["view"] == "hubs:report" and report["queries"] >= 1 and report["user_id"] is None
    assert search["path"] == "/hubs/" and search["level"] == "INFO"
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) for line in lines)
    written = json.dumps(log_lines())
    assert not any(secret in written for secret in ("Dupont", "example.org", "48.1215", "1.7094"))


def test_a_slow_request_is_a_warning_with_its_query_count_and_staff_are_named_by_id(
    staff_client, settings, log_lines
):
    settings.SLOW_REQUEST_SECONDS = 0
    staff_client.get(reverse("admin:hubs_hub_changelist"))
    (line,) = [line for line in log_lines() if line["logger"] == "portal.requests"]
    assert line["level"] == "WARNING" and line["message"] == "slow request" and line["queries"] > 1
    assert str(line["user_id"]) == staff_client.session["_auth_user_id"]


def test_metrics_are_hidden_from_the_public_and_read_by_prometheus_with_the_token(client, settings):
    settings.METRICS_TOKEN = "a-scraper-secret-1234567890"
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="not-an-address").status_code == 404
    call_command("run_scheduled", verbosity=0)
    client.get(reverse("hubs:list"))
    client.get("/une-page-qui-n-existe-pas/")

    response = client.get("/metrics", headers={"Authorization": "Bearer a-scraper-secret-1234567890"})
    families = {family.name: family for family in text_string_to_metric_families(response.content.decode())}
    by_view = {
        (s.labels["view"], s.labels["status"]): s.value
        for s in families["django_http_responses_total_by_status_view_method"].samples
    }
    assert by_view[("hubs:list", "200")] >= 1 and by_view[("<unnamed view>", "404")] >= 1
    latency = families["django_http_requests_latency_seconds_by_view_method"]
    assert any(s.name.endswith("_bucket") and s.labels["view"] == "hubs:list" for s in latency.samples)
    queries = {
        s.labels["view"] for s in families["portal_request_queries"].samples if s.name.endswith("_count")
    }
    assert "hubs:list" in queries
    jobs = {s.labels["job"] for s in families["portal_scheduled_job_last_success_timestamp_seconds"].samples}
    assert jobs == {"mail", "purge", "reminders", "exports", "digest", "access"}


def test_sentry_gets_the_error_without_who_it_happened_to():
    event = {
        "message": "boom",
        "request": {
            "url": "https://sante.example.org/hubs/x/signaler/",
            "method": "POST",
            "data": {"message": "Mon voisin Jean Dupont", "contact": "jean@example.org"},
            "cookies": {"sessionid": "abc"},
            "headers": {"X-Forwarded-For": "203.0.113.9"},
            "query_string": "lat=48.1&lng=-1.7",
        },
        "user": {"ip_address": "203.0.113.9"},
    }
    kept = scrub_event(event, {})
    assert kept["request"] == {"url": "https://sante.example.org/hubs/x/signaler/", "method": "POST"}
    assert "user" not in kept


def test_sentry_is_off_by_default_and_scrubs_when_a_dsn_is_set():
    probe = (
        "import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client();"
        "print(c.is_active(), c.options['send_default_pii'], getattr(c.options['before_send'], '__name__', None))"
    )

    def run(**env):
        environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
        return subprocess.run(
            [sys.executable, "-c", probe], env=environ, capture_output=True, text=True
        ).stdout

    assert run().split()[0] == "False"  # no client: nothing leaves
    assert run(SENTRY_DSN="https://key@127.0.0.1:9/1").split() == ["True", "False", "scrub_event"]


def test_under_gunicorn_the_workers_counts_are_added_up(client, settings, tmp_path, monkeypatch):
    from prometheus_client.mmap_dict import MmapedDict, mmap_key

    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    family_name, name = "portal_test_searches", "portal_test_searches_total"
    for worker, searches in [(4242, 3.0), (4243, 4.0)]:  # two workers' files, as gunicorn's leave them
        counts = MmapedDict(str(tmp_path / f"counter_{worker}.db"))
        counts.write_value(mmap_key(family_name, name, ["view"], ["hubs:list"], "searches"), searches, 0)
        counts.close()
    response = client.get("/metrics")
    (family,) = [
        f
        for f in text_string_to_metric_families(response.content.decode())
        if f.name == "portal_test_searches"
    ]
    assert [s.value for s in family.samples] == [7.0]
