"""Settings for Một Cửa. Everything that differs between deployments comes from the environment."""

from __future__ import annotations

import hashlib
import os
from base64 import b64encode
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from config.databases import parse_database_url
from motcua.core.localtime import LOCAL_TZ_NAME

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A fixed development key keeps the two-command setup working; production must set SECRET_KEY.
# With DEBUG=0 the web process refuses to start on this key (config/wsgi.py, core/startup.py)
# and `check --deploy` reports it (motcua.E001).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs page from local static files (no CDN)
    "axes",
    "csp",
    "motcua.core",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.worktime",
    "motcua.dossiers",
    "motcua.portal",
    "motcua.petitions",
    "motcua.stats",
    "motcua.control",
    "motcua.integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.csp.CachedPolicyCSPMiddleware",  # django-csp, its header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.RequestGuardMiddleware",
    "motcua.core.generations.GenerationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let concurrent writers (imports, the server) wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_SQLITE_NAME")

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "DB_SERVER_SIDE_BINDING", "1"
).lower() not in ("0", "false", "no"):
    # Server-side parameters, and statements run twice on a connection prepared: PostgreSQL
    # skips parsing and planning the same INSERTs and look-ups again (decisions.md #11). Set
    # DB_SERVER_SIDE_BINDING=0 behind a pooler that cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out accounts and addresses
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
TIME_ZONE = LOCAL_TZ_NAME  # motcua/core/localtime.py, the one place the zone is named
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Một Cửa domain settings -------------------------------------------------------------
# What happens to the time budget when a requested supplement arrives:
# "resume" continues the remaining time, "restart" starts the full legal time again.
MOTCUA_SUPPLEMENT_RULE = os.environ.get("MOTCUA_SUPPLEMENT_RULE", "resume")
# Open dossiers due within this many working days are shown as "due soon".
MOTCUA_DUE_SOON_WORKING_DAYS = int(os.environ.get("MOTCUA_DUE_SOON_WORKING_DAYS", "1"))
# Reporting months end on this day, included (the same meaning as `motcua report --cutoff`):
# 14 = Decree 09/2019's 15th to the 14th; 20 = the 21st to the 20th; 0 = calendar months.
MOTCUA_PERIOD_CUTOFF_DAY = int(os.environ.get("MOTCUA_PERIOD_CUTOFF_DAY", "14"))
# The place written in the date line of printed documents ("Sơn La, ngày ... tháng ... năm ...");
# empty leaves dots for the signer.
MOTCUA_DOCUMENT_PLACE = os.environ.get("MOTCUA_DOCUMENT_PLACE", "")
# The provincial People's Committee office, for "hand-overs sent to the province office"
# (comma-separated agency codes); empty = the roots of the agency tree.
MOTCUA_PROVINCE_OFFICE_CODE = os.environ.get("MOTCUA_PROVINCE_OFFICE_CODE", "")
# Largest accepted upload, in bytes, and the accepted content types.
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
MOTCUA_UPLOAD_TYPES = env_list(
    "MOTCUA_UPLOAD_TYPES",
    "application/pdf,image/jpeg,image/png,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
# Citizen portal: after this many look-ups that match no dossier (wrong code or ID number) from
# one client address (REMOTE_ADDR) within a window of this many seconds, refuse look-ups (429).
MOTCUA_PORTAL_MAX_FAILURES = int(os.environ.get("MOTCUA_PORTAL_MAX_FAILURES", "10"))
MOTCUA_PORTAL_WINDOW_SECONDS = int(os.environ.get("MOTCUA_PORTAL_WINDOW_SECONDS", "900"))

# --- Several app hosts (issue 15) ----------------------------------------------------------
# POST API calls with an Idempotency-Key header answer a retry with the first answer
# (motcua/core/idempotency.py); the answers are kept this many hours.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "motcua.core.idempotency.IdempotencyMiddleware",
)
MOTCUA_IDEMPOTENCY_KEEP_HOURS = int(os.environ.get("MOTCUA_IDEMPOTENCY_KEEP_HOURS", "48"))
# The function that tells the API's caller (bearer token or session) before the view runs.
MOTCUA_API_USER = "motcua.accounts.tokens.api_request_user"
# Paths whose requests skip core.generations' per-request memo scope: the citizen portal's
# look-up reads no memoised table (one statement, portal/selectors.dossier_for_applicant).
MOTCUA_MEMO_SCOPE_SKIP = ["/portal/"]

# Reads that tolerate lag (reports, dashboards, exports, portal look-ups) may come from a
# PostgreSQL streaming replica (motcua/core/replica.py). DATABASE_URL may list several hosts
# (libpq multi-host, target_session_attrs=read-write) so that a promoted replica is found.
# At most this many rows in each section of a report's late list (0: every row, statistics.md
# §4's contract). A very large province may cap it; `late_list_total` always gives the whole
# list's length (decisions.md #51).
MOTCUA_REPORT_LATE_LIST_MAX = int(os.environ.get("MOTCUA_REPORT_LATE_LIST_MAX", "0"))
# At most this many late dossiers in a printed report (narrative DOCX and PDF), the most overdue;
# the whole list is in its workbook's sheet and in the JSON (0: every row; decisions.md #52).
MOTCUA_DOCUMENT_LATE_ROWS = int(os.environ.get("MOTCUA_DOCUMENT_LATE_ROWS", "30"))
MOTCUA_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("MOTCUA_REPLICA_MAX_LAG_SECONDS", "10"))
MOTCUA_REPLICA_CHECK_SECONDS = float(os.environ.get("MOTCUA_REPLICA_CHECK_SECONDS", "3"))
MOTCUA_PRIMARY_AFTER_WRITE_SECONDS = int(os.environ.get("MOTCUA_PRIMARY_AFTER_WRITE_SECONDS", "30"))
# Adds "X-Motcua-Reads: replica|primary" to every answer (diagnostics, the cluster tests).
MOTCUA_READ_SOURCE_HEADER = env_bool("MOTCUA_READ_SOURCE_HEADER", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A dead server in a multi-host list costs at most this long before the next is tried.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
    if not env_bool("DB_JIT", False):
        # No JIT compilation (decisions.md #41): the planner's cost of a page's query over a
        # large scope passes jit_above_cost, and compiling it took 40 ms of a 25-row page.
        options = DATABASES["default"]["OPTIONS"]
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = parse_database_url(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {
        **{
            k: v
            for k, v in DATABASES["default"].get("OPTIONS", {}).items()
            if k != "target_session_attrs"  # the replica is read-only by design
        },
        **DATABASES["replica"].get("OPTIONS", {}),
    }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "motcua.core.replica.ReplicaPinMiddleware",
    )

# --- Login throttling (django-axes): the officials' login and the admin's ---------------------
# After MOTCUA_LOGIN_MAX_FAILURES failed logins for one user name, or from one client address,
# further logins for it (even with the right password) are refused for
# MOTCUA_LOGIN_LOCKOUT_MINUTES; the page says so in Vietnamese (HTTP 429).
AXES_ENABLED = env_bool("MOTCUA_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.accounts.lockout.locked_out"
AXES_VERBOSE = False
# The client address is REMOTE_ADDR, as for the portal's throttle: a forwarded-for header can be
# written by anyone. Behind a reverse proxy, MOTCUA_PROXY_COUNT=N reads X-Forwarded-For
# through N trusted proxies instead.
if os.environ.get("MOTCUA_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["MOTCUA_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Request bodies ------------------------------------------------------------------------
# Larger bodies are refused: 413 (JSON under /api/) by core.middleware.RequestGuardMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440))  # Django's 2.5 MiB
)

# --- HTTPS and cookies (switch on in production behind TLS; README "Production") --------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# "HTTP_X_FORWARDED_PROTO,https": the proxy's header saying the client used HTTPS. Set it only
# behind a proxy that always sets (or strips) that header.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["SECURE_PROXY_SSL_HEADER"].partition(",")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip() or "https")

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# MOTCUA_CSP: "enforce" (default), "report-only" (sent as Content-Security-Policy-Report-Only)
# or "off". Scripts only from this site, the inline ones by nonce, the few inline event handlers
# by hash ('unsafe-hashes'); inline style attributes are allowed (Bootstrap and htmx use them).
_INLINE_HANDLERS = ("window.print()", "this.form.submit()", "history.back(); return false;")


def _sha256(source: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE, "'unsafe-hashes'", *map(_sha256, _INLINE_HANDLERS)],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
_csp_mode = os.environ.get("MOTCUA_CSP", "enforce").strip().lower()
if _csp_mode not in {"enforce", "report-only", "off"}:
    raise ValueError(f"MOTCUA_CSP={_csp_mode!r}: expected enforce, report-only or off")
CONTENT_SECURITY_POLICY = _CSP if _csp_mode == "enforce" else None
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if _csp_mode == "report-only" else None

# Feedback and petitions: the answer is due this many working days after reception, on the
# agency's working calendar (docs/decisions.md: petitions).
MOTCUA_PETITION_ANSWER_DAYS = int(os.environ.get("MOTCUA_PETITION_ANSWER_DAYS", "10"))


# --- Operations (issue 16: health, logs, metrics, backups, audit) ----------------------------
# Kept in this one block; motcua/ops documents each switch.
from motcua.ops.logconfig import logging_config  # noqa: E402

INSTALLED_APPS += ["motcua.ops"]
# The request log wraps everything, so its duration is the whole request's.
MIDDLEWARE = ["motcua.ops.logs.RequestLogMiddleware", *MIDDLEWARE]
# MOTCUA_LOG_FORMAT=json: one JSON object per line, with a line per request (motcua.ops.logs).
MOTCUA_LOG_FORMAT = os.environ.get("MOTCUA_LOG_FORMAT", "text")
LOGGING = logging_config(fmt=MOTCUA_LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "WARNING"))
# Prometheus: latency by view, responses, exceptions (django-prometheus) around everything.
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics answers a bearer token (MOTCUA_METRICS_TOKEN) or these client addresses/networks.
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")
MOTCUA_METRICS_ALLOW = env_list("MOTCUA_METRICS_ALLOW", "127.0.0.1,::1")
# Backups (motcua backup / restore): where they go, and how many are kept.
MOTCUA_BACKUP_DIR = Path(os.environ.get("MOTCUA_BACKUP_DIR", DATA_DIR / "backups"))
MOTCUA_BACKUP_KEEP = int(os.environ.get("MOTCUA_BACKUP_KEEP", "7"))
# Retention (motcua retention apply): days after closing before a dossier's personal data and
# its uploaded files are erased; 0 keeps them. Set by the province's records schedule.
MOTCUA_RETENTION_PERSONAL_DAYS = int(os.environ.get("MOTCUA_RETENTION_PERSONAL_DAYS", "0"))
MOTCUA_RETENTION_FILES_DAYS = int(os.environ.get("MOTCUA_RETENTION_FILES_DAYS", "0"))

# --- Integration with other systems (docs: shared spec integration.md) ------------------------
# Empty URL = that peer is off and nothing is queued for it.
MOTCUA_NATIONAL_URL = os.environ.get("MOTCUA_NATIONAL_URL", "").rstrip("/")
MOTCUA_NATIONAL_USER = os.environ.get("MOTCUA_NATIONAL_USER", "")
MOTCUA_NATIONAL_PASSWORD = os.environ.get("MOTCUA_NATIONAL_PASSWORD", "")
MOTCUA_NATIONAL_UNIT = os.environ.get("MOTCUA_NATIONAL_UNIT", "")
MOTCUA_POSTAL_URL = os.environ.get("MOTCUA_POSTAL_URL", "").rstrip("/")
MOTCUA_POSTAL_TOKEN = os.environ.get("MOTCUA_POSTAL_TOKEN", "")
MOTCUA_POSTAL_SECRET = os.environ.get("MOTCUA_POSTAL_SECRET", "")
MOTCUA_SMS_URL = os.environ.get("MOTCUA_SMS_URL", "")
# E-mail to applicants goes through Django's e-mail backend (console unless EMAIL_BACKEND is set).
MOTCUA_EMAIL_NOTICES = env_bool("MOTCUA_EMAIL_NOTICES", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")
# The public address of the citizens' look-up page, written in messages to applicants.
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://localhost:8000").rstrip("/")
# Delivery loop: first retry delay (doubling, capped at one hour, with jitter), attempts before
# parking, per-request timeout, how long a claimed message is held by one loop, parallel workers.
MOTCUA_SYNC_BACKOFF_SECONDS = float(os.environ.get("MOTCUA_SYNC_BACKOFF_SECONDS", "5"))
MOTCUA_SYNC_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_SYNC_MAX_ATTEMPTS", "20"))
MOTCUA_SYNC_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_SYNC_TIMEOUT_SECONDS", "10"))
MOTCUA_SYNC_LEASE_SECONDS = float(os.environ.get("MOTCUA_SYNC_LEASE_SECONDS", "60"))
MOTCUA_SYNC_WORKERS = int(os.environ.get("MOTCUA_SYNC_WORKERS", "4"))
MOTCUA_SYNC_BATCH = int(os.environ.get("MOTCUA_SYNC_BATCH", "200"))
