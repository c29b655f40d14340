"""Registry files from an https:// link, served here by a real HTTPS server with a certificate made for the test."""

import http.server
import subprocess
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hubs.models import Hub, RegistryRefresh
from tests.hubs.test_finess import EXAMPLE

pytestmark = pytest.mark.django_db


class Registry(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/finess.json":
            body, kind = EXAMPLE.read_bytes(), "application/json"
        elif self.path == "/huge.json":  # announced larger than allowed: refused before reading
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(5_000_000))
            self.end_headers()
            self.wfile.write(b"{" * 1000)
            return
        elif self.path == "/short.json":  # announces more than it sends, then hangs up
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b'{"pmej": [')
            return
        elif self.path == "/endless.json":  # no length announced, more than allowed
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"[" * 1_200_000)
            return
        elif self.path == "/archive.json":
            body, kind = b"PK\x03\x04" + b"\x00" * 100, "application/json"
        elif self.path == "/cut.json":
            body, kind = EXAMPLE.read_bytes()[:500], "application/json"
        else:
            body, kind = b"<html><body>Maintenance</body></html>", "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path, monkeypatch, settings):
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this server as it would data.gouv.fr
    settings.REGISTRY_DIR = tmp_path / "registries"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_an_extraction_is_downloaded_imported_and_kept_as_the_last_good_file(server, settings):
    call_command("import_finess", f"{server}/finess.json", "--category", "365", verbosity=0)
    assert Hub.objects.get(finess="010780195").name == "Clinique docteur Convert"
    assert (settings.REGISTRY_DIR / "finess").read_bytes() == EXAMPLE.read_bytes()
    assert [p.name for p in settings.REGISTRY_DIR.iterdir()] == ["finess"]


@pytest.mark.parametrize(
    "path, message",
    [
        ("/maintenance", "web page"),
        ("/huge.json", "5 MB announced, more than the 1 MB allowed"),
        ("/cut.json", "Nothing was imported"),  # JSON cut short: the importer refuses it whole
        ("/short.json", "broke off|cut off"),
        ("/endless.json", "more than the 1 MB allowed; stopped"),
        ("/archive.json", "neither JSON nor delimited text"),
    ],
)
def test_a_bad_download_imports_nothing_and_keeps_the_last_good_file(server, settings, path, message):
    settings.REGISTRY_MAX_MB = 1
    call_command("import_finess", f"{server}/finess.json", "--category", "365", verbosity=0)
    hubs = Hub.objects.count()
    Hub.objects.filter(finess="010780195").delete()
    with pytest.raises(CommandError, match=message):
        call_command("import_finess", f"{server}{path}", "--category", "365", verbosity=0)
    assert Hub.objects.count() == hubs - 1
    assert (settings.REGISTRY_DIR / "finess").read_bytes() == EXAMPLE.read_bytes()
    assert [p.name for p in settings.REGISTRY_DIR.iterdir()] == ["finess"]


def test_only_https_is_downloaded_and_an_unreachable_server_says_so():
    with pytest.raises(CommandError, match="only https://"):
        call_command("import_rpps", "http://example.org/PS_LibreAcces_Personne_activite.txt", verbosity=0)
    with pytest.raises(CommandError, match="download failed"):
        call_command("import_rpps", "https://127.0.0.1:9/PS_LibreAcces_Personne_activite.txt", verbosity=0)


def test_a_refresh_without_links_says_what_it_skipped(settings):
    from io import StringIO

    settings.REGISTRY_FINESS_URL = settings.REGISTRY_RPPS_URL = ""
    out = StringIO()
    call_command("refresh_registries", stdout=out)
    assert "FINESS: no link set (REGISTRY_FINESS_URL), skipped" in out.getvalue()
    assert not RegistryRefresh.objects.exists()


def test_the_monthly_refresh_reports_to_the_editors_digest(server, settings, editor, outbox):
    editor.email = "editrice@example.org"
    editor.save()
    settings.REGISTRY_FINESS_URL = f"{server}/finess.json"
    settings.REGISTRY_RPPS_URL = f"{server}/maintenance"
    settings.REGISTRY_DEPARTMENTS = ["01"]
    with pytest.raises(CommandError, match="1 registry refresh"):
        call_command("refresh_registries", verbosity=0)
    runs = {run.registry: run for run in RegistryRefresh.objects.all()}
    assert runs["FINESS"].succeeded and "FINESS extraction of 2026-03-09" in runs["FINESS"].summary
    assert not runs["RPPS"].succeeded and "web page" in runs["RPPS"].summary

    call_command("run_scheduled", verbosity=0)  # the digest is queued
    call_command("run_scheduled", verbosity=0)  # and sent
    (digest,) = [m for m in outbox if m.to == [editor.email]]
    assert "mises à jour des registres en échec cette semaine" in digest.body
    assert "/admin/hubs/registryrefresh/?succeeded__exact=0" in digest.body
