"""Public reads on a read replica, everything else on the primary (when DATABASE_REPLICA_URL is set).

A replica lags the primary by a moment. Public pages can live with that; a staff member who just saved a hub
cannot, nor can logins, sessions, rate limits or the shared cache. So the replica serves only the directory's
own tables, and only while handling a GET or HEAD outside the admin (`PrimaryForEditingMiddleware`).
"""

from contextvars import ContextVar

REPLICA = "replica"
PUBLIC_APPS = {"districts", "professionals", "hubs", "programmes"}
_reads_may_lag = ContextVar("reads_may_lag", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_may_lag.get() and model._meta.app_label in PUBLIC_APPS else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class PrimaryForEditingMiddleware:
    """Lets the router use the replica for the duration of a public read, and only then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public_read = request.method in ("GET", "HEAD") and not request.path.startswith("/admin/")
        token = _reads_may_lag.set(public_read)
        try:
            return self.get_response(request)
        finally:
            _reads_may_lag.reset(token)
