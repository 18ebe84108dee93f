"""The one settings module. Every value that varies comes from the environment
through the typed helpers in ``concord.env``; see README for the list."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from concord.env import (
    ConfigError,
    cache_settings,
    email_settings,
    env_bool,
    env_list,
    env_str,
    env_timezone,
    generated_secret,
    secret_key,
    spark_conf,
)
from concord.logformat import JSON_FORMATTER, TEXT_FORMATTER, log_format

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("CONCORD_VAR_DIR", str(Path.cwd() / "var")))

CONCORD_ENV = env_str("CONCORD_ENV", "development")
if CONCORD_ENV not in {"development", "production", "test"}:
    raise ConfigError(f"CONCORD_ENV={CONCORD_ENV!r}; use development, production or test")
PRODUCTION = CONCORD_ENV == "production"

SECRET_KEY = secret_key(VAR_DIR / "secret_key", production=PRODUCTION)
# Off unless asked for (DEBUG=true): Django's debug pages show source, paths, settings and every URL
# pattern to whoever hits an error, and the demo is used by partners' people too.
DEBUG = env_bool("DEBUG", default=False)
#: customer_key is stored as HMAC-SHA256 under this per-installation secret (CUSTOMER_KEY_SECRET, else var/)
CUSTOMER_KEY_SECRET = generated_secret("CUSTOMER_KEY_SECRET", VAR_DIR / "customer_key_secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS must list the host names when CONCORD_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

#: Days, weeks and months are cut in this zone; everything is stored in UTC.
REPORTING_TIMEZONE = env_timezone("REPORTING_TIMEZONE", "Europe/Madrid")
LAKE_URI = env_str("LAKE_URI", str(VAR_DIR / "lake"))
#: Lake files no version within this many hours reads are vacuumed (pinned versions always stay readable).
LAKE_RETENTION_HOURS = float(env_str("LAKE_RETENTION_HOURS", "168"))
INGEST_DIR = Path(env_str("CONCORD_INGEST_DIR", str(VAR_DIR / "ingest")))
#: Days an uploaded file (and its quarantine file) stays in the lake's ``_files/`` after its ingest finished.
INGEST_UPLOAD_RETENTION_DAYS = float(env_str("CONCORD_INGEST_UPLOAD_RETENTION_DAYS", "7"))
#: Largest file the upload page takes, in megabytes (larger exports: `concord ingest` on the server).
INGEST_MAX_UPLOAD_MB = int(env_str("CONCORD_INGEST_MAX_UPLOAD_MB", "1024"))
# Knowledge article attachments (PDFs, screenshots, job aids): larger files belong in a document system
KNOWLEDGE_ATTACHMENT_MAX_MB = int(env_str("CONCORD_KNOWLEDGE_ATTACHMENT_MAX_MB", "10"))

#: Where every lake read runs: DuckDB in-process, or the same expressions on Spark.
QUERY_ENGINE = env_str("QUERY_ENGINE", "duckdb")
if QUERY_ENGINE not in {"duckdb", "spark"}:
    raise ConfigError(f"QUERY_ENGINE={QUERY_ENGINE!r}; use duckdb or spark")
SPARK_MASTER = env_str("SPARK_MASTER", "local[2]")
SPARK_CONF = spark_conf(env_str("SPARK_CONF"))

#: Metric results per lake version; CACHE_URL (or REDIS_URL) shares them across processes.
CACHES = cache_settings(env_str("CACHE_URL") or env_str("REDIS_URL"))

_default_db = f"sqlite:///{VAR_DIR / 'concord.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL is not a database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers on the embedded database (web threads, the worker, a CLI ingest):
    # - WAL: readers never wait for a writer, nor a writer for readers;
    # - IMMEDIATE: a transaction takes the write lock when it begins. A DEFERRED one that
    #   reads first and writes later cannot wait for the lock (SQLite answers "database is
    #   locked" at once to avoid a deadlock), which is what 8 API writers hit 62% of the time;
    # - a busy timeout (Python's ``timeout``, and the PRAGMA for connections opened elsewhere)
    #   so a writer queues behind another instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "concord.web",
    "concord.accounts",
    "concord.jobs",
    "concord.providers",
    "concord.planning",
    "concord.ingest",
    "concord.performance",
    "concord.contracts",
    "concord.quality",
    "concord.knowledge",
    "concord.notifications",
    "concord.governance",
]

MIDDLEWARE = [
    "concord.web.problems.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concord.urls"
WSGI_APPLICATION = "concord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concord.web.context.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out person can try again after 15 minutes
# One list inside the list: the pair (username, address) is locked, not the address alone. A flat
# ["username", "ip_address"] locks each on its own, so one person's typos locked everyone behind the
# same address (a whole office, or the whole site behind a proxy).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "concord.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# With DEBUG off, runserver serves no static files; WhiteNoise does. Outside production nothing is
# collected, so it serves them from the apps' folders (production collects them at build).
WHITENOISE_USE_FINDERS = not PRODUCTION

# Webhooks a client admin adds (concord.notifications.urlcheck): HTTPS only in production; private and loopback
# addresses refused unless allowed (a chat server inside the company network)
WEBHOOK_REQUIRE_HTTPS = env_bool("WEBHOOK_REQUIRE_HTTPS", PRODUCTION)
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
_email = email_settings(env_str("EMAIL_URL", "console://"))
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Concord <concord@localhost>")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "concord.accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the API never took forms, and documenting them let clients send "null" as text
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["concord.web.api.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "concord.web.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "concord.web.schema.AutoSchema",  # lists that may not be empty say so
    "EXCEPTION_HANDLER": "concord.web.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Concord API",
    "DESCRIPTION": "Providers, people, facts and scorecards of a multi-partner customer operation.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "concord.web.schema.add_problem_responses",
        "concord.web.schema.document_text_rules",
    ],
    # several models have a "status"; name each choice set after its model
    "ENUM_NAME_OVERRIDES": {
        "ProviderStatusEnum": "concord.providers.models.Provider.Status",
        "AgentStatusEnum": "concord.providers.models.Agent.Status",
        "AgentRoleEnum": "concord.providers.models.Agent.Role",
        "DisputeOutcomeEnum": "concord.quality.work_models.Dispute.Outcome",
        "DisputeDecisionEnum": ["accepted", "partly_accepted", "rejected"],
    },
}

# Charts embed Vega, which compiles its expressions with Function(); pages that
# draw a chart add 'unsafe-eval' for themselves (see concord.web.charts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # load balancers probe over plain HTTP; a redirect would read as "down"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON object per line in production (log collectors parse it as is); plain text elsewhere.
try:
    LOG_FORMAT = log_format()
except ValueError as exc:
    raise ConfigError(str(exc)) from exc
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "concord.web.problems.RequestIdFilter"}},
    "formatters": {"json": JSON_FORMATTER, "text": TEXT_FORMATTER},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # WeasyPrint warns on every first PDF of a process about which font subsetter it chose and
    # about CSS it does not support: nothing an operator can act on, and it lands in `--json` output.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
