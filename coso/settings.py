"""Django settings for Coso, configured only through COSO_* environment variables.

With nothing set, Coso runs in debug mode on an embedded SQLite file under ./var.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from coso.core.policies import parse_overrides


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("COSO_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("COSO_DEBUG", default="COSO_SECRET_KEY" not in os.environ)
# The development key is published in this file: a server with debug off refuses to start with it (or with none),
# and `check --deploy` fails on it (coso.core.checks).
DEVELOPMENT_SECRET_KEY = "coso-insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("COSO_SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "COSO_SECRET_KEY is unset or is the development key, and debug is off. Set COSO_SECRET_KEY to a long "
        "random value kept secret (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )
ALLOWED_HOSTS = env_list("COSO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("COSO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Its Swagger UI page then uses the swagger files shipped in the package, not a CDN (the docs work offline).
    "ninja",
    "csp",
    "coso.core",
    "coso.orgs",
    "coso.accounts",
    "coso.members",
    "coso.notifications",
    "coso.meetings",
    "coso.study",
    "coso.citizens",
    "coso.commitments",
    "coso.reviews",
    "coso.inspection",
    "coso.emulation",
    "coso.api",
    "coso.demo",
]

MIDDLEWARE = [
    "coso.api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coso.urls"
WSGI_APPLICATION = "coso.wsgi.application"
ASGI_APPLICATION = "coso.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coso.core.context_processors.coso",
                "coso.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "coso.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("COSO_DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("COSO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; the busy timeout makes writers wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": None}
if os.environ.get("COSO_REPLICA_DATABASE_URL"):
    # Report queries go to a read replica through coso.core.db_router.ReplicaRouter.
    DATABASES["replica"] = dj_database_url.parse(os.environ["COSO_REPLICA_DATABASE_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["coso.core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("COSO_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Without Redis the cache lives in the database, so that every worker process counts the same rate limits
    # (a per-process memory cache lets each gunicorn worker count alone). The table is made by `migrate`
    # (coso.core.apps runs createcachetable after migrations).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "coso_cache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Client addresses and rate limits (coso/core/clients.py) ------------------------------------------------
# How many reverse proxies stand in front of Coso and append the client's address to COSO_CLIENT_IP_HEADER.
# Unset means "not said": `check --deploy` then warns, because behind a proxy every client would share one
# address. 0 says that clients connect directly.
COSO_TRUSTED_PROXY_COUNT = (
    int(os.environ["COSO_TRUSTED_PROXY_COUNT"])
    if os.environ.get("COSO_TRUSTED_PROXY_COUNT", "") != ""
    else None
)
COSO_CLIENT_IP_HEADER = os.environ.get("COSO_CLIENT_IP_HEADER", "X-Forwarded-For")
RATELIMIT_IP_META_KEY = "coso.core.clients.client_ip"
RATELIMIT_USE_CACHE = "default"

# --- Authentication -----------------------------------------------------------------------------------------
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
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("COSO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("COSO_LOGIN_COOLOFF_HOURS", "0.5"))
# Lockout counts a username together with the client's address, so that nobody can lock someone else out
# from elsewhere; the address is the one every rate limit uses.
# Requests for a password-reset mail, per client address and per e-mail address (django-ratelimit).
COSO_PASSWORD_RESET_RATE = os.environ.get("COSO_PASSWORD_RESET_RATE", "5/h")
# A reset link works once, for this long (Django's PASSWORD_RESET_TIMEOUT, in seconds): one day.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("COSO_PASSWORD_RESET_SECONDS", str(24 * 3600)))
# Personal API tokens expire after this many days unless their owner chooses a shorter life (issue 9 §9).
COSO_API_TOKEN_DAYS = int(os.environ.get("COSO_API_TOKEN_DAYS", "365"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "coso.core.clients.client_ip"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = int(os.environ.get("COSO_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("COSO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("COSO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every response: the pages use only the vendored static files, so
# scripts, styles, fonts and connections come from this origin alone; no inline script and no eval (htmx is
# configured without eval in base.html). Inline style *attributes* stay allowed (style-src-attr): progress bars
# and tree indentation are computed per row, and an attribute style cannot run script. Bootstrap draws its form
# controls with data: SVG images. Nothing may frame Coso.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features Coso never uses are switched off for every page (django-permissions-policy).
PERMISSIONS_POLICY = {
    name: []
    for name in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# --- Internationalization -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["coso.formats"]
LANGUAGE_COOKIE_NAME = "coso_language"

# --- Static and uploaded files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The vendored Bootstrap, icons and htmx live in coso/static, which is not an app directory.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
COSO_IMPORT_MAX_BYTES = int(os.environ.get("COSO_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Imports with more rows than this run as a background task with a progress bar.
COSO_IMPORT_BACKGROUND_ROWS = int(os.environ.get("COSO_IMPORT_BACKGROUND_ROWS", "2000"))

# --- Background tasks ---------------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("COSO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Mail ---------------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "COSO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("COSO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COSO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("COSO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COSO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("COSO_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("COSO_EMAIL_FROM", "Coso <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach Coso at, for links in e-mails and calendar feeds.
COSO_SITE_URL = os.environ.get("COSO_SITE_URL", "http://127.0.0.1:8000")

# --- Logging ------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COSO_LOG_LEVEL", "WARNING")},
}

COSO_PAGE_SIZE = 25

# --- Working-day calendar (deadlines; see coso/core/workdays.py) -------------------------------------------
# Days off and make-up working days the holidays library does not know yet: comma-separated ISO dates.
COSO_EXTRA_DAYS_OFF = env_list("COSO_EXTRA_DAYS_OFF")
COSO_MAKEUP_WORKING_DAYS = env_list("COSO_MAKEUP_WORKING_DAYS")
# Office hours for deadlines counted in working hours, e.g. "07:30-11:30,13:30-17:00".
COSO_WORKING_HOURS = [tuple(period.split("-", 1)) for period in env_list("COSO_WORKING_HOURS")] or None

# --- Rule overrides (dated policy tables; see docs/operator-guide.md) --------------------------------------
# A JSON object of rule key -> value that replaces the dated value for this installation, e.g.
# COSO_CITIZENS_POLICIES='{"citizens.complaint.days": 30}'. Unknown keys and wrong types stop the start.
COSO_CITIZENS_POLICIES = parse_overrides("COSO_CITIZENS_POLICIES", os.environ.get("COSO_CITIZENS_POLICIES"))
COSO_MEETINGS_POLICIES = parse_overrides("COSO_MEETINGS_POLICIES", os.environ.get("COSO_MEETINGS_POLICIES"))
COSO_REVIEWS_POLICIES = parse_overrides("COSO_REVIEWS_POLICIES", os.environ.get("COSO_REVIEWS_POLICIES"))
