"""gunicorn's settings for deploy/systemd/health-hub.service (the socket comes from systemd, or --bind)."""

import multiprocessing
import os
import shutil

from prometheus_client import multiprocess

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # ignored under systemd socket activation
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 120  # a national export or import preview may take a minute; nginx waits as long
graceful_timeout = 30  # on reload (HUP) or stop, old workers finish the requests they hold
max_requests = 2000  # workers are renewed now and then: memory stays flat
max_requests_jitter = 200
accesslog = None  # nginx logs every request, Django logs each one as JSON with its request id
errorlog = "-"


def on_starting(server):
    # Prometheus counters are files per worker under PROMETHEUS_MULTIPROC_DIR: start from zero.
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
