"""Settings shared by every environment; overlays (dev, test, production) stay thin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from stagekans.settings import env

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = env.REPO_ROOT

SECRET_KEY = env.get("DJANGO_SECRET_KEY")
DEBUG = env.get("DJANGO_DEBUG")
ALLOWED_HOSTS: list[str] = env.get("DJANGO_ALLOWED_HOSTS")
SITE_URL: str = env.get("SITE_URL")
SERVICE_CONTACT_EMAIL: str = env.get("SERVICE_CONTACT_EMAIL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "pgtrigger",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "stagekans.core",
    "stagekans.accounts",
    "stagekans.audit",
    "stagekans.geo",
    "stagekans.education",
    "stagekans.companies",
    "stagekans.register",
    "stagekans.informatiepakket",
    "stagekans.notifications",
    "stagekans.jobs",
    "stagekans.worklist",
    "stagekans.stagemarkt",
    "stagekans.placements",
    "stagekans.applications",
    "stagekans.background",
    "stagekans.insight",
    "stagekans.equalchances",
    "stagekans.support",
    "stagekans.rounds",
    "stagekans.keuzedelen",
    "stagekans.studyadvice",
    "stagekans.cases",
    "stagekans.meldpunt",
    "stagekans.voorlichting",
    "stagekans.portal",
    "stagekans.demo",
]

MIDDLEWARE = [
    "stagekans.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "stagekans.core.middleware.PermissionsPolicyMiddleware",
    "stagekans.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stagekans.core.middleware.DutchByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stagekans.accounts.middleware.IdleTimeoutMiddleware",
    "stagekans.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stagekans.urls"
WSGI_APPLICATION = "stagekans.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stagekans.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env.db_config()}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

CACHES = {"default": env.cache_config()}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Same backend, one client object per pool instead of one per call (core/cache.py).
    CACHES["default"]["BACKEND"] = "stagekans.core.cache.RedisCache"
if "redis" in CACHES["default"]["BACKEND"].lower():
    # A cache that hangs must not hang every request (and /readyz): fail fast instead.
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 1)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1)

# Meldpunt: months after closure that reporters' contact details are kept; statistics threshold.
MELDPUNT_RETENTION_MONTHS = int(env.get("MELDPUNT_RETENTION_MONTHS"))
# School signals (issue 17): days after closing before texts and student are erased.
SCHOOL_SIGNAL_RETENTION_DAYS = int(env.get("SCHOOL_SIGNAL_RETENTION_DAYS"))
KEUZEDELEN_MAX_TRAVEL_MINUTES = int(env.get("KEUZEDELEN_MAX_TRAVEL_MINUTES"))
MELDPUNT_SUPPRESSION_THRESHOLD = int(env.get("MELDPUNT_SUPPRESSION_THRESHOLD"))
# Insight (issue 13): the background pseudonym key (never stored in the database) and the
# small-cell threshold of every published insight table.
BACKGROUND_PSEUDONYM_KEY: str = env.get("BACKGROUND_PSEUDONYM_KEY")
INSIGHT_SUPPRESSION_THRESHOLD = int(env.get("INSIGHT_SUPPRESSION_THRESHOLD"))
# Proxies of our own in front of the web processes; the client address for rate limits is the
# X-Forwarded-For entry this many hops from the right (0: REMOTE_ADDR, the header is ignored).
STAGEKANS_TRUSTED_PROXY_COUNT = int(env.get("STAGEKANS_TRUSTED_PROXY_COUNT"))
if STAGEKANS_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("STAGEKANS_TRUSTED_PROXY_COUNT must be 0 or more.")

STAGEKANS_REFERENCE_CACHE_SECONDS = int(env.get("STAGEKANS_REFERENCE_CACHE_SECONDS"))

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.get("STATIC_ROOT")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.get("MEDIA_ROOT")
# Uploads with personal data (report and hearing attachments): outside MEDIA_ROOT and
# STATIC_ROOT, random names, no URL; served only by permission-checked views (core/storage.py).
# MEDIA is never served by the URLconf, in no setting.
PRIVATE_FILES_ROOT = env.get("PRIVATE_FILES_ROOT")
for _public in (MEDIA_ROOT, STATIC_ROOT):
    _private, _other = Path(PRIVATE_FILES_ROOT).resolve(), Path(_public).resolve()
    if _private == _other or _other in _private.parents or _private in _other.parents:
        raise ImproperlyConfigured("PRIVATE_FILES_ROOT must lie outside MEDIA_ROOT/STATIC_ROOT.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "stagekans.core.storage.PrivateFileStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_email = env.email_config()
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", str(REPO_ROOT / "var" / "mail"))
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL")
# A hanging SMTP server must not hold an outbox row (and its transaction) for long.
EMAIL_TIMEOUT = 30

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not env.get("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# SMTP connections the outbox drain uses at once (notifications/services.py).
OUTBOX_SMTP_CONNECTIONS = int(env.get("OUTBOX_SMTP_CONNECTIONS"))

# Seconds a precomputed aggregate of a national staff page may age before it is recomputed in
# the background (core/snapshots.py); 0 computes on every read.
STAGEKANS_SNAPSHOT_MAX_AGE = int(env.get("STAGEKANS_SNAPSHOT_MAX_AGE"))

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "handout-reminders": {"task": "informatiepakket.send_reminders", "schedule": 60 * 60},
    "expire-recognitions": {"task": "register.expire_recognitions", "schedule": 60 * 60 * 6},
    # Safety net for the outbox: mails whose after-commit trigger was lost still go out.
    "drain-outbox": {"task": "notifications.drain_outbox", "schedule": 60},
    # National staff pages read precomputed aggregates (core/snapshots.py).
    "refresh-snapshots": {"task": "core.refresh_due_snapshots", "schedule": 60},
    "meldpunt-erase-expired-contacts": {
        "task": "meldpunt.erase_expired_contacts",
        "schedule": 60 * 60 * 24,
    },
    "support-anonymise-expired-signals": {
        "task": "support.anonymise_expired_signals",
        "schedule": 60 * 60 * 24,
    },
    "voorlichting-reminders": {"task": "voorlichting.send_reminders", "schedule": 60 * 60 * 24},
    "insight-recompute": {"task": "insight.recompute", "schedule": 60 * 60 * 24},
    "cases-hearing-reminders": {
        "task": "cases.send_hearing_reminders",
        "schedule": 60 * 60 * 24,
    },
    # Overdue supervision contacts (issue 11): idempotent, exactly one alert per overdue period.
    "placements-overdue-contacts": {
        "task": "placements.alert_overdue_contacts",
        "schedule": 60 * 60 * 6,
    },
    # A matching run whose worker died (no heartbeat) is marked "mislukt — opnieuw uitvoeren".
    "rounds-fail-stale-runs": {"task": "rounds.fail_stale_runs", "schedule": 60},
}
# Matching rounds: a run without a heartbeat for this long is failed by the beat task above;
# the pause (seconds) between the phases of a run exists for the killed-worker test only.
ROUNDS_STALE_AFTER_SECONDS = int(env.get("ROUNDS_STALE_AFTER_SECONDS"))
ROUNDS_RUN_PAUSE_SECONDS = float(env.get("ROUNDS_RUN_PAUSE_SECONDS"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Rate limits on every API view (issue 10, finding 7); 429 answers are Dutch and in the
    # OpenAPI schema. Rates: env var API_THROTTLE_RATES.
    "DEFAULT_THROTTLE_CLASSES": [
        "stagekans.core.throttling.AnonThrottle",
        "stagekans.core.throttling.UserThrottle",
        "stagekans.core.throttling.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": env.throttle_rates(),
    "EXCEPTION_HANDLER": "stagekans.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stagekans API",
    "DESCRIPTION": "Openbare en beveiligde API van Stagekans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "stagekans.core.throttling.add_throttle_responses",
    ],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# One JSON object per line on stderr, each with the request id; personal data is scrubbed by a
# filter on the handler, so records from Django, Celery and psycopg pass it too (core/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "stagekans.core.logs.RequestIdFilter"},
        "personal_data": {"()": "stagekans.core.logs.PersonalDataFilter"},
    },
    "formatters": {"json": {"()": "stagekans.core.logs.StagekansJsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "stagekans": {"handlers": ["console"], "level": env.get("LOG_LEVEL"), "propagate": False},
        # Replaces Django's default handlers (plain text, and mail_admins with request details).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "stagekans.accounts.backends.UsernameOrEmailBackend",
]

# --- Login lockout (django-axes, issue 10 finding 2) -------------------------------------------
# Ten failures within the cool-off lock the username (over all addresses) and, separately, the
# address (over all usernames) for 15 minutes; a beheerder can lift it in the app
# (/account/blokkades/). The address is resolved like the meldpunt limits (core.client_ip).
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "stagekans.accounts.backends.lockout_client_ip"
AXES_USERNAME_CALLABLE = "stagekans.accounts.backends.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # logins are in the app's audit log; no second IP log
AXES_ENABLE_ADMIN = False  # unlocking goes through the audited app page
AXES_VERBOSE = False

# --- Second factor (django-otp, TOTP + static recovery codes) ----------------------------------
OTP_TOTP_ISSUER = "Stagekans"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Security keys and passkeys (django-otp-webauthn): a second factor beside the app ---------
# Only ever a second step after the password: no passwordless login (it would bypass the
# lockout and the login audit). The relying party id is the site's domain; a key registered
# for one id does not work for another. Production derives both from its allowed host.
OTP_WEBAUTHN_RP_ID: str = env.get("WEBAUTHN_RP_ID") or "localhost"
OTP_WEBAUTHN_RP_NAME = "Stagekans"
OTP_WEBAUTHN_ALLOWED_ORIGINS: list[str] = env.get("WEBAUTHN_ALLOWED_ORIGINS") or [
    "http://localhost:8000"
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "stagekans.accounts.webauthn"

# --- Sessions (finding 8): idle timeout per role in accounts/roles.py, outer bound here --------
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"

# --- Content Security Policy (django-csp) and Permissions-Policy (finding 8) -------------------
# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Anonymous pages whose answers carry report or personal data get Cache-Control: no-store as
# well (every page for a logged-in user does): intake, follow-with-code, login and accounts.
STAGEKANS_NO_STORE_PREFIXES = ("/meldpunt/", "/account/", "/beheer/")
