"""make deploy-test: the recipe in deploy/, run with the real programs and checked through the proxy.

Debian's nginx with deploy/nginx/health-hub.conf as shipped (only paths, ports and the domain substituted; a
self-signed certificate made here) in front of gunicorn with deploy/gunicorn.conf.py, on the throwaway PostGIS
that .ci/with-postgis gives in DATABASE_URL. Clients come from several loopback addresses (127.0.0.2, .3, …) so
that nginx sees distinct clients, as it would on the internet.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DOMAIN = "localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HTTP, HTTPS, APP = free_port(), free_port(), free_port()


def request(method, path, *, client="127.0.0.2", tls=True, headers=None, body=None):
    """One request from the loopback address `client`; returns (status, headers, body)."""
    if tls:
        context = ssl.create_default_context(cafile=str(WORK / "cert.pem"))
        connection = http.client.HTTPSConnection(
            DOMAIN, HTTPS, context=context, source_address=(client, 0), timeout=30
        )
    else:
        connection = http.client.HTTPConnection(DOMAIN, HTTP, source_address=(client, 0), timeout=30)
    connection.request(method, path, body=body, headers={"Host": DOMAIN, **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.headers, data


def check(what: str, condition: bool, detail="") -> None:
    print(
        f"{'ok  ' if condition else 'FAIL'}  {what}" + (f"  ({detail})" if detail and not condition else "")
    )
    if not condition:
        FAILED.append(what)


FAILED: list[str] = []
METRICS_TOKEN = "deploy-test-scraper-token-0123456789"
WORK = Path(tempfile.mkdtemp(prefix="deploy-test-"))


def site_file() -> str:
    """The shipped site with this machine's paths and ports; nothing else changed."""
    text = (ROOT / "deploy/nginx/health-hub.conf").read_text()
    for shipped, here in [
        ("/etc/letsencrypt/live/sante.example.org/fullchain.pem", str(WORK / "cert.pem")),
        ("/etc/letsencrypt/live/sante.example.org/privkey.pem", str(WORK / "key.pem")),
        ("sante.example.org", DOMAIN),
        ("/var/log/nginx/", f"{WORK}/"),
        ("/srv/health-hub/", f"{ROOT}/"),
        ("/var/www/letsencrypt", str(WORK)),
        ("127.0.0.1:8000", f"127.0.0.1:{APP}"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen {HTTP};"),
        ("listen 443 ssl http2;", f"listen {HTTPS} ssl http2;"),
    ]:
        assert shipped in text, f"the shipped site no longer has {shipped!r}: update deploy/check.py"
        text = text.replace(shipped, here)
    return text


def start() -> tuple[subprocess.Popen, list[str]]:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={DOMAIN}",
         "-addext", f"subjectAltName=DNS:{DOMAIN}", "-keyout", WORK / "key.pem", "-out", WORK / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    (WORK / "site.conf").write_text(site_file())
    # As root, nginx's workers would run as nobody, who may not read a checkout under a private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (WORK / "nginx.conf").write_text(
        f"{user}pid {WORK}/nginx.pid;\nerror_log {WORK}/error.log;\nevents {{}}\nhttp {{\n"
        f"  include /etc/nginx/mime.types;\n  client_body_temp_path {WORK}/body;\n  proxy_temp_path {WORK}/proxy;\n"
        f"  fastcgi_temp_path {WORK}/f;\n  uwsgi_temp_path {WORK}/u;\n  scgi_temp_path {WORK}/s;\n"
        f"  include {WORK}/site.conf;\n}}\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "SECRET_KEY": "deploy-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": DOMAIN,
        "TRUSTED_PROXIES": "127.0.0.1",
        "SITE_URL": f"https://{DOMAIN}",
        "API_ANON_RATE": "5/minute",
        "AXES_FAILURE_LIMIT": "3",
        "MAP_TILES_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{APP}",
        "GUNICORN_WORKERS": "3",
        "PROMETHEUS_MULTIPROC_DIR": str(WORK / "metrics"),
        "METRICS_TOKEN": METRICS_TOKEN,
    }
    for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"],
                    ["load_demo", "--without-pharmacies", "-v", "0"]):  # fmt: skip
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=open(WORK / "app.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115 (lives with gunicorn)
    )  # fmt: skip
    nginx = ["nginx", "-c", str(WORK / "nginx.conf"), "-p", str(WORK)]
    subprocess.run([*nginx, "-t", "-q"], check=True)
    subprocess.run(nginx, check=True)
    for _ in range(100):
        try:
            if request("GET", "/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    return gunicorn, nginx


def checks(gunicorn) -> None:
    status, headers, _ = request("GET", "/hubs/?q=blosne", tls=False)
    check(
        "plain HTTP is redirected to HTTPS",
        status == 301 and headers["Location"] == f"https://{DOMAIN}/hubs/?q=blosne",
    )
    status, headers, body = request("GET", "/hubs/?q=blosne")
    check("HTTPS answers the search", status == 200 and b"Blosne" in body, status)
    for header in ("Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options",
                   "Referrer-Policy", "X-Frame-Options", "X-Request-ID"):  # fmt: skip
        check(f"{header} arrives through the proxy", bool(headers.get(header)))
    check("HSTS for a year", "max-age=31536000" in headers.get("Strict-Transport-Security", ""))
    request_id = headers["X-Request-ID"]
    curl = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", WORK / "cert.pem",
         "--resolve", f"{DOMAIN}:{HTTPS}:127.0.0.1", f"https://{DOMAIN}:{HTTPS}/"],
        capture_output=True, text=True,
    )  # fmt: skip
    check("HTTP/2 is offered", curl.stdout == "2", curl.stdout)

    css = re.search(rb'href="(/static/css/site\.[0-9a-f]+\.css)"', body)[1].decode()
    status, headers, _ = request("GET", css, headers={"Accept-Encoding": "gzip"})
    check(
        "hashed static files come gzipped with a year's cache",
        status == 200 and headers.get("Content-Encoding") == "gzip"
        and "max-age=31536000" in headers.get("Cache-Control", "") and bool(headers.get("Strict-Transport-Security")),
        dict(headers),
    )  # fmt: skip

    request("GET", "/healthz")
    time.sleep(0.3)
    log = (WORK / "health-hub.access.log").read_text()
    check(
        "/healthz is not logged, pages are, with nginx's request id",
        "/healthz" not in log and request_id in log,
    )

    limited = [request("GET", "/api/v1/hubs/", client="127.0.0.3")[0] for _ in range(6)]
    check("the API limit counts a client behind the proxy", limited[-1] == 429, limited)
    check(
        "another client behind the same proxy is not limited",
        request("GET", "/api/v1/hubs/", client="127.0.0.4")[0] == 200,
    )
    forged = request("GET", "/api/v1/hubs/", client="127.0.0.3", headers={"X-Forwarded-For": "198.51.100.7"})[
        0
    ]
    check("a forged X-Forwarded-For gains the limited client nothing", forged == 429, forged)

    def failed_login(client):
        status, headers, body = request("GET", "/admin/login/", client=client)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()
        cookie = SimpleCookie(headers["Set-Cookie"])["csrftoken"].value
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong-password-1234"}
        )
        return request("POST", "/admin/login/", client=client, body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
            "Referer": f"https://{DOMAIN}/admin/login/"})  # fmt: skip

    answers = [failed_login("127.0.0.5")[0] for _ in range(4)]
    check("a sign-in lockout counts the real client", answers[-1] == 429, answers)
    check("another client may still sign in", failed_login("127.0.0.6")[0] == 200)

    status, _, _ = request(
        "POST", "/admin/login/", body=b"x" * (51 * 1024 * 1024), headers={"Content-Type": "text/plain"}
    )
    check("an upload over 50 MB gets 413 from nginx", status == 413, status)

    status, _, _ = request("GET", "/metrics", client="127.0.0.7")
    check("/metrics is not public through the proxy", status == 404, status)
    for _ in range(6):  # spread over gunicorn's workers
        request("GET", "/hubs/", client="127.0.0.9")
    status, _, body = request(
        "GET", "/metrics", client="127.0.0.7", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    searches = re.findall(
        rb'django_http_responses_total_by_status_view_method_total\{[^}]*view="hubs:list"[^}]*\} ([0-9.]+)',
        body,
    )
    check(
        "Prometheus reads /metrics with its token, the workers' counts added up",
        status == 200 and sum(float(n) for n in searches) >= 7,  # 1 search above, 6 here
        (status, searches),
    )

    results, stop = [], threading.Event()

    def traffic():
        while not stop.is_set():
            try:
                results.append(request("GET", "/hubs/", client="127.0.0.8")[0])
            except OSError as error:
                results.append(str(error))

    threads = [threading.Thread(target=traffic) for _ in range(3)]
    for thread in threads:
        thread.start()
    for _ in range(2):
        time.sleep(1.5)
        gunicorn.send_signal(signal.SIGHUP)  # what `systemctl reload health-hub` sends
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join()
    lost = [r for r in results if r != 200]
    check(
        f"two gunicorn reloads during traffic lose no request ({len(results)} requests)",
        not lost and len(results) > 20,
        lost[:5],
    )


def main() -> int:
    if not shutil.which("nginx"):
        print("nginx is missing (make deploy-test installs it)")
        return 1
    gunicorn, nginx = start()
    try:
        checks(gunicorn)
    finally:
        subprocess.run([*nginx, "-s", "stop"], capture_output=True)
        gunicorn.terminate()
        gunicorn.wait(timeout=40)
    if FAILED:
        print(f"\n{len(FAILED)} check(s) failed; nginx and gunicorn logs in {WORK}")
        return 1
    shutil.rmtree(WORK)
    print("\nThe deploy recipe works as shipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
