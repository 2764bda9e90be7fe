"""Lindung's one settings module. Everything that differs between machines comes from the
environment (see .env.example); app code reads django.conf.settings, never os.environ."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lindung.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LINDUNG_VAR_DIR", str(BASE_DIR / "var")))

# development (the default, with the Mesuji demo), test, or production.
ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, test or production.")
PRODUCTION = ENVIRONMENT == "production"
DEMO_MODE = not PRODUCTION and env_bool("LINDUNG_DEMO", True)

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "lindung-development-only-not-a-secret")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Lindung's apps come first so that their Indonesian wording wins over Django's own catalogues
# for the same English text (Django's "Sandi" would otherwise replace our "Kata sandi").
INSTALLED_APPS = [
    "lindung.regions",
    "lindung.accounts",
    "lindung.audit",
    "lindung.counters",
    "lindung.registry",
    "lindung.placements",
    "lindung.cases",
    "lindung.programs",
    "lindung.outreach",
    "lindung.regulations",
    "lindung.privacy",
    "lindung.imports",
    "lindung.reports",
    "lindung.api",
    "lindung.ops",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Only for its static files and templates: the API docs page served without a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lindung.ops.middleware.RequestLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "lindung.lib.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lindung.lib.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lindung.accounts.middleware.SessionLifetimeMiddleware",
    "lindung.accounts.two_factor.TwoFactorMiddleware",
    "lindung.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lindung.urls"
WSGI_APPLICATION = "lindung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lindung" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lindung.accounts.context_processors.navigation",
            ],
            "builtins": ["lindung.lib.templatetags"],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lindung.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrades mid-write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's model backend, except that demo accounts log in only in demo mode.
AUTHENTICATION_BACKENDS = ["lindung.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Argon2 is deliberately slow; the test suite hashes hundreds of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# OWASP ASVS L2: at least 8 characters, common passwords refused, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# Failed logins (and wrong current passwords when changing one) lock one username from one
# address after LOGIN_FAILURE_LIMIT, and the address for everyone only after
# LOGIN_ADDRESS_FAILURE_LIMIT: a village office or a mobile carrier shares one address.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_LOCKOUT = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age above is then an idle timeout
# However active, a session ends this long after its login (lindung/accounts/middleware.py).
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
# Two-factor sign-in (TOTP with recovery codes, lindung/accounts/two_factor.py). Whoever has
# enrolled always gives a code after the password. LINDUNG_2FA_REQUIRED (on in production, off
# by default elsewhere) makes the roles in LINDUNG_2FA_ROLES enrol before they can do anything
# else; village operators and heads may enrol but are never forced (cheap phones).
LINDUNG_2FA_REQUIRED = env_bool("LINDUNG_2FA_REQUIRED", PRODUCTION)
LINDUNG_2FA_ROLES = frozenset({"disnaker", "opd", "bp3mi", "kp2mi", "admin"})
OTP_TOTP_ISSUER = "Lindung"
# Wrong codes count towards the login lock instead of django-otp's per-device backoff.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
SESSION_COOKIE_HTTPONLY = True
# SECURE_COOKIES=false is only for a test that runs production settings over loopback HTTP.
SESSION_COOKIE_SECURE = PRODUCTION and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor on the loopback asks over plain HTTP
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, styles, images, fonts and fetches from Lindung's own origin only: no inline script or
# style (templates put theirs in static files), no plugins, no framing, forms post to us only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page of Lindung uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Client addresses (audit trail, login throttle) are REMOTE_ADDR unless Lindung runs behind
# reverse proxies: then set the number of proxies in front of it, and the address is the entry
# of X-Forwarded-For that the outermost trusted proxy appended (never the client-written left).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Calls per API token, as "N/s", "N/min", "N/hour" or "N/day" (kept in Django's cache: use a
# shared cache when several server processes serve the API).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/min")
if not re.fullmatch(r"[1-9]\d*/(s|sec|m|min|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(f"API_RATE_LIMIT must look like 120/min, not {API_RATE_LIMIT!r}.")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lindung" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "lindung" / "static"]
if (BASE_DIR / "node_modules").exists():
    STATICFILES_DIRS.append(("vendor", BASE_DIR / "node_modules"))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
# An import reads and parses its file in a forked process while it writes: "auto" forks only
# from a single-threaded process (the import job, the import command), "always" or "never"
# (lindung/imports/readahead.py). The test suite runs the forked path.
IMPORTS_READ_AHEAD = env_str("IMPORTS_READ_AHEAD", "always" if ENVIRONMENT == "test" else "auto")
if IMPORTS_READ_AHEAD not in {"auto", "always", "never"}:
    raise ImproperlyConfigured("IMPORTS_READ_AHEAD must be auto, always or never.")
# A started import runs in a task worker (lindung/imports/jobs.py); the test suite runs it
# inline, in the request, so a test sees its result without a worker.
IMPORTS_RUN_INLINE = ENVIRONMENT == "test"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "lindung-demo")

# Protection cases: days a case may stay in each status before its next step is due (urgent
# cases use the shorter table), and overdue days per further level of escalation.
CASE_DEADLINE_DAYS = {
    "received": env_int("CASE_DAYS_RECEIVED", 3),
    "verified": env_int("CASE_DAYS_VERIFIED", 3),
    "referred": env_int("CASE_DAYS_REFERRED", 7),
    "in_handling": env_int("CASE_DAYS_IN_HANDLING", 30),
    "resolved": env_int("CASE_DAYS_RESOLVED", 14),
}
CASE_URGENT_DEADLINE_DAYS = {
    "received": env_int("CASE_URGENT_DAYS_RECEIVED", 1),
    "verified": env_int("CASE_URGENT_DAYS_VERIFIED", 1),
    "referred": env_int("CASE_URGENT_DAYS_REFERRED", 2),
    "in_handling": env_int("CASE_URGENT_DAYS_IN_HANDLING", 7),
    "resolved": env_int("CASE_URGENT_DAYS_RESOLVED", 7),
}
CASE_ESCALATION_STEP_DAYS = env_int("CASE_ESCALATION_STEP_DAYS", 7)
CASE_ATTACHMENT_MAX_BYTES = env_int("CASE_ATTACHMENT_MAX_MB", 5) * 1024 * 1024
# Hours an emergency ("break the glass") read of a case's story lasts.
CASE_EMERGENCY_READ_HOURS = env_int("CASE_EMERGENCY_READ_HOURS", 8)

# Serving (`make serve`, docs/deploy.md). WhiteNoise serves the collected static files from the
# WSGI process; STATIC_HASHED (on in production and under `make serve`, which collects them)
# gives them hashed names, a year-long immutable cache and gzip/Brotli copies.
STATIC_HASHED = env_bool("STATIC_HASHED", PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = STATIC_HASHED
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one

# One cache in the database, shared by every web worker, so they all show the same figures.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lindung_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000)},
    }
}

# Background work (lindung/ops/tasks.py): django-tasks with its database backend, run by
# `manage.py task_worker` processes (TASK_WORKERS of them under `make serve`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_WORKERS = env_int("TASK_WORKERS", 2)
TASK_RETRIES = env_int("TASK_RETRIES", 3)  # attempts of a task that may safely run again
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 30)
IMPORT_FILES_KEEP_DAYS = env_int("IMPORT_FILES_KEEP_DAYS", 90)  # uploaded files of finished imports
# A report's XLSX or print file for an area of REPORTS_BACKGROUND_LEVEL or above (1: provinces and
# the nation; 2 adds regencies) is made by a task worker, not inside the request, and the user
# downloads it from the report's page; the files are deleted REPORT_FILES_KEEP_DAYS after they
# were made (lindung/reports/files.py).
REPORTS_BACKGROUND_LEVEL = env_int("REPORTS_BACKGROUND_LEVEL", 1)
REPORT_FILES_KEEP_DAYS = env_int("REPORT_FILES_KEEP_DAYS", 7)

# Structured logs: one JSON object a line on stdout (requests, tasks, errors); LOG_FORMAT=text
# for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lindung.ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **({"formatter": "json"} if env_str("LOG_FORMAT", "json") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "lindung.requests": {
            "level": env_str("REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
        },
        "lindung.tasks": {"level": "INFO"},
        "django_tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}
