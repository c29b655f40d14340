"""One env-driven settings module: development defaults, production by environment."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.StaffAdminConfig",  # Django's admin, behind a second factor (portal/staff_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.forms",  # the admin's widget templates include Django's own
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "leaflet",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "post_office",
    "django_prometheus",
    "django_guid",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "accounts",
    "districts",
    "professionals",
    "hubs",
    "programmes",
    "access",
    "portal",
    "opendata",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_guid.middleware.guid_middleware",  # X-Request-ID: nginx's, or a new one; on every log line
    "config.monitoring.RequestLog",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # An ETag on every answer, and a 304 when the client already has it (or Last-Modified says so).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.FirstVisitLanguageMiddleware",
    "portal.middleware.StaffLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.StaffSessionLimits",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed logins: 5 tries per user name and address, then 30 minutes locked out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.http.client_key"  # an IPv6 client counts per /64, like every limit

# Behind a reverse proxy: its addresses (or networks), so that rate limits and lockouts see the client's
# address (config/http.py) and the proxy's X-Forwarded-Proto is believed. Empty: no proxy is trusted.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Only users who may add records (city editors) import; everyone with view rights exports.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Mail: Django's own setting names. Everything goes through django-post-office's queue (a log staff read in the
# admin, retries when the server is down), sent by `manage.py run_scheduled`; without EMAIL_HOST, to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST))
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Annuaire des lieux de santé <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "post_office.EmailBackend"  # Django's own mail (password resets) is queued the same way
POST_OFFICE = {
    "BACKENDS": {
        "default": "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.console.EmailBackend"
    },
    "DEFAULT_PRIORITY": "medium",  # queued: a resident's report is saved even when the mail server is down
    "MAX_RETRIES": 8,
    "RETRY_INTERVAL": datetime.timedelta(minutes=15),
    "LOG_LEVEL": 2,
    "CELERY_ENABLED": False,
}
MAIL_LOG_DAYS = int(
    os.environ.get("MAIL_LOG_DAYS", "90")
)  # then the mail log (with its addresses) is deleted
# The site's address, for links in mail (which has no request to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Freshness: a hub's managers are reminded this long after its last check; editors hear of it later.
REMIND_MANAGERS_AFTER_DAYS, REMIND_EDITORS_AFTER_DAYS = 180, 240

# Public correction requests: per address, this many an hour.
CORRECTIONS_PER_HOUR = int(os.environ.get("CORRECTIONS_PER_HOUR", "5"))
# Then deleted by `manage.py purge_corrections` (run it daily): the personal data page promises it.
CORRECTION_RETENTION_DAYS = int(os.environ.get("CORRECTION_RETENTION_DAYS", "365"))
# Who publishes the portal, for the legal notice; empty in the demo, which says so (and check --deploy warns).
PUBLISHER = {
    "name": os.environ.get("PUBLISHER_NAME", ""),
    "address": os.environ.get("PUBLISHER_ADDRESS", ""),
    "director": os.environ.get("PUBLISHER_DIRECTOR", ""),
    "email": os.environ.get("PUBLISHER_EMAIL", ""),
    "host": os.environ.get("PUBLISHER_HOST", ""),
}
STALE_AFTER_DAYS = 180
# The box shown when nothing near is open (hubs/after_hours.py): who to call, each number with its source. The
# on-call doctor line is the département's where its Agence régionale de santé publishes one (by the first two
# digits of the postcode), else the national one.
AFTER_HOURS_DOCTOR = {
    "default": {
        "number": "116 117",
        "label": _(
            "médecin de garde le soir après 20 h, le week-end et les jours fériés ; "
            "là où le 116 117 n'est pas encore en service, le 15"
        ),
        "source": _("ministère de la Santé, numéro national de la permanence des soins, 2017"),
    },
    "59": {
        "number": "03 20 33 20 33",
        "label": _("Médi'ligne, le médecin de garde du Nord : soirs, week-ends et jours fériés"),
        "source": _("ARS Nord-Pas-de-Calais, « Médi'ligne », 2012"),
    },
}
AFTER_HOURS_NATIONAL = [
    {
        "number": "15",
        "label": _(
            "SAMU, pour une urgence vitale : malaise grave, douleur dans la poitrine, difficulté à respirer"
        ),
        "source": _("service-public.fr, « Numéros d'urgence »"),
    },
    {
        "number": "114",
        "sms": True,
        "label": _(
            "urgence, pour les personnes sourdes, malentendantes ou qui ne peuvent pas parler : par SMS"
        ),
        "source": _("service-public.fr, « Numéros d'urgence »"),
    },
    {
        "number": "3237",
        "label": _("la pharmacie de garde la plus proche (appel payant)"),
        "source": _("Résogardes, service des pharmacies de garde"),
    },
]
# Hubs a registry import creates: public at once, or unpublished until a city editor reviews them (the admin's
# "à relire" filter lists them).
REGISTRY_HUBS_PUBLISHED = env_bool("REGISTRY_HUBS_PUBLISHED", True)
# The monthly refresh (manage.py refresh_registries): data.gouv.fr's stable links, the departments kept, where
# the last good files stay, and the largest download accepted.
REGISTRY_FINESS_URL = os.environ.get("REGISTRY_FINESS_URL", "")
REGISTRY_RPPS_URL = os.environ.get("REGISTRY_RPPS_URL", "")
REGISTRY_DEPARTMENTS = env_list("REGISTRY_DEPARTMENTS", "35,59")
REGISTRY_DIR = Path(os.environ.get("REGISTRY_DIR", BASE_DIR / "var" / "registries"))
REGISTRY_MAX_MB = int(os.environ.get("REGISTRY_MAX_MB", "3000"))

# The open data (API, FHIR, feeds): read by anyone, from any site, without cookies; anonymous clients are
# throttled per address in the shared cache.
CORS_URLS_REGEX = r"^/(api|fhir|donnees)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Link", "ETag", "Last-Modified"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["config.http.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Annuaire des lieux de santé — API publique",
    "DESCRIPTION": "Lieux de santé, professionnels, territoires et programmes de soutien, en lecture seule.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files are served by the portal itself (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"AvailabilityEnum": "config.choices.Availability"},
}
# What the city publishes is under the Licence Ouverte 2.0; each source keeps its own licence (/donnees/).
OPEN_DATA_LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    # Forms render through Django's own Jinja2 copies of its widget templates: a search form's checkboxes and
    # selects cost a third of the page in the template language, less than half of that in Jinja2. Only
    # "django/forms/..." names exist in this engine; every other template (pages, the admin's and the map's
    # widgets) is looked up in the next one.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "form-widgets",
        "DIRS": [Path(django.__file__).resolve().parent / "forms" / "jinja2"],
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.demo_notice",
                "portal.context_processors.languages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The embedded default needs no server: a SpatiaLite file under var/.
DEFAULT_DATABASE_URL = f"spatialite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Past one database server: public reads on a streaming replica (config/replicas.py), the rest on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
    DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(0, "config.replicas.PrimaryForEditingMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, lockouts and map caches must be the same for every app process and server: the default
# is a table in the database (created by portal's first migration). CACHE=locmem for one process only.
# "local" memoises, per process and briefly, what is cheap to recompute and harmless when a minute old.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if os.environ.get("CACHE") == "locmem"
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice is remembered a year
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
# A second factor (an authenticator app) for staff: always for city editors and superusers; for hub managers
# when this is on (otherwise offered to them).
STAFF_2FA_FOR_MANAGERS = env_bool("STAFF_2FA_FOR_MANAGERS", False)
OTP_TOTP_ISSUER = "Annuaire des lieux de santé"
# Only staff sign in. Their sessions end 12 hours after signing in or after 30 idle minutes (portal.middleware).
STAFF_SESSION_HOURS = int(os.environ.get("STAFF_SESSION_HOURS", "12"))
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = STAFF_SESSION_HOURS * 3600

# Tiles are a setting: there is no internet in tests, and a city may run its own tile server.
# The map stays useful without tiles (district outlines and markers are vector layers).
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# The city the portal serves: a search with no criteria at all lists the places around it first, nearest first,
# rather than the whole country A to Z (the Lille pharmacies before Rennes's centres).
HOME = {
    "name": os.environ.get("HOME_NAME", "Rennes"),
    "lat": float(os.environ.get("HOME_LAT", "48.11")),
    "lng": float(os.environ.get("HOME_LNG", "-1.68")),
    "km": float(os.environ.get("HOME_KM", "30")),
}
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (HOME["lat"], HOME["lng"]),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
    "RESET_VIEW": False,
    "PLUGINS": {
        # Vendored from npm (leaflet.markercluster 1.5.3, MIT, licence beside it): clusters thousands of hubs.
        "markercluster": {
            "css": [
                "vendor/leaflet.markercluster/MarkerCluster.css",
                "vendor/leaflet.markercluster/MarkerCluster.Default.css",
            ],
            "js": "vendor/leaflet.markercluster/leaflet.markercluster.js",
            "auto-include": True,
        },
    },
}

# Production hardening: on unless DEBUG, each switchable for a proxy that terminates TLS itself.
# The proxy's word on the scheme only when there is a proxy: otherwise any client could claim https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: scripts are files, plus the nonce'd ones django-leaflet writes;
# data blocks (json_script, JSON-LD) are not scripts. Tiles come from the tile server's origin.
_tiles = urlsplit(MAP_TILES_URL) if MAP_TILES_URL else None  # "{s}.tile…" (subdomains) becomes "*.tile…"
_tile_origin = [f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"] if _tiles and _tiles.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origin],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# "Autour de moi" asks the browser for a position: allowed for the site itself, nothing else.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Logs on stdout (journald keeps them under systemd), one JSON object a line with the request's id
# (X-Request-ID, shared with nginx's access log); LOG_FORMAT=text for people reading a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django_guid": {"level": "WARNING"}},  # it would say at each request that it made an id
}
# Whole-file open data, written daily by the scheduled work (opendata/exports.py), served at /exports/.
EXPORTS_DIR = Path(os.environ.get("EXPORTS_DIR", BASE_DIR / "var" / "exports"))
EXPORTS_KEEP = int(os.environ.get("EXPORTS_KEEP", "7"))

# manage.py backup: where, and how many of the newest to keep (the timer in deploy/ runs it nightly).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))

DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "VALIDATE_GUID": True, "UUID_LENGTH": 32}
SLOW_REQUEST_SECONDS = float(os.environ.get("SLOW_REQUEST_SECONDS", "1"))

# /metrics (Prometheus): for these addresses or networks, or with "Authorization: Bearer METRICS_TOKEN".
# Neither set: nobody (a 404). Under gunicorn, PROMETHEUS_MULTIPROC_DIR adds up the workers (deploy/).
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Errors to Sentry (or a compatible service) only when a DSN is given; personal data scrubbed (config/monitoring).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from config.monitoring import start_sentry

    start_sentry(SENTRY_DSN, os.environ.get("SENTRY_ENVIRONMENT", "production"))
