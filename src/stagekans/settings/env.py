"""Every environment variable the project reads, declared once with a default and help text.

`manage.py envhelp` prints this table; the README links to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import environ

REPO_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: Any
    help: str
    cast: type = str


DECLARED: list[EnvVar] = [
    EnvVar(
        "DJANGO_SECRET_KEY", "insecure-dev-key-change-me", "Secret key; required in production."
    ),
    EnvVar("DJANGO_DEBUG", False, "Debug mode; never on in production.", bool),
    EnvVar("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names.", list),
    EnvVar(
        "DATABASE_URL",
        f"sqlite:///{REPO_ROOT / 'var' / 'stagekans.sqlite3'}",
        "Database; postgres://user@host:5432/name in production. Default: embedded SQLite.",
    ),
    EnvVar(
        "CELERY_BROKER_URL",
        "",
        "Task broker, e.g. redis://127.0.0.1:6379/0. Empty: tasks run in-process (embedded).",
    ),
    EnvVar(
        "ROUNDS_STALE_AFTER_SECONDS",
        "120",
        "A matching run without a heartbeat for this many seconds is marked failed.",
    ),
    EnvVar(
        "ROUNDS_RUN_PAUSE_SECONDS",
        "0",
        "Pause between the phases of a matching run; only the killed-worker test sets it.",
    ),
    EnvVar(
        "CACHE_URL",
        "locmemcache://",
        "Cache, e.g. redis://127.0.0.1:6379/1 with several web processes.",
    ),
    EnvVar(
        "EMAIL_URL",
        "consolemail://",
        "Mail delivery, e.g. smtp://user:pass@host:587 or smtp+tls://…; default prints to console.",
    ),
    EnvVar("DEFAULT_FROM_EMAIL", "Stagekans <noreply@stagekans.nl>", "Sender of outgoing mail."),
    EnvVar("SITE_URL", "http://127.0.0.1:8000", "Public base URL used in mails."),
    EnvVar(
        "SERVICE_CONTACT_EMAIL",
        "contact@stagekans.nl",
        "Address for questions about privacy and accessibility, shown in the footer statements.",
    ),
    EnvVar("MEDIA_ROOT", str(REPO_ROOT / "var" / "media"), "Where uploaded files are stored."),
    EnvVar(
        "PRIVATE_FILES_ROOT",
        str(REPO_ROOT / "var" / "private"),
        "Where uploads with personal data (attachments) are stored; outside MEDIA_ROOT and "
        "STATIC_ROOT, never served by the web server.",
    ),
    EnvVar("STATIC_ROOT", str(REPO_ROOT / "var" / "static"), "Where collectstatic puts files."),
    EnvVar("LOG_LEVEL", "INFO", "Log level of the stagekans loggers."),
    EnvVar(
        "KEUZEDELEN_MAX_TRAVEL_MINUTES",
        "90",
        "Longest estimated one-way travel time (minutes) to a keuzedeel at another institution.",
    ),
    EnvVar(
        "MELDPUNT_RETENTION_MONTHS",
        "12",
        "Months after a report is closed before the reporter's contact details are erased.",
    ),
    EnvVar(
        "SCHOOL_SIGNAL_RETENTION_DAYS",
        "730",
        "Days after a school closes a signal about a company before its texts and the link to "
        "the student are erased (support.anonymise_expired_signals, daily).",
    ),
    EnvVar(
        "MELDPUNT_SUPPRESSION_THRESHOLD",
        "10",
        "Published report statistics hide every cell (and total) from 1 to this number minus 1.",
    ),
    EnvVar(
        "BACKGROUND_PSEUDONYM_KEY",
        "",
        "Secret key of the pseudonym that links voluntary background statements to students "
        "(required in production, at least 32 characters; changing it unlinks every statement). "
        "Empty outside production: derived from DJANGO_SECRET_KEY.",
    ),
    EnvVar(
        "INSIGHT_SUPPRESSION_THRESHOLD",
        "10",
        "Published insight tables (outcomes, signals, surveys) hide every count from 1 to this "
        "number minus 1, plus what is needed to stop recalculation.",
    ),
    EnvVar(
        "API_THROTTLE_RATES",
        "anon=300/min,user=600/min,public-api=240/min,stagemarkt-search=120/min,"
        "applications=300/min",
        "API rate limits per client (or per account when logged in), scope=number/period with "
        "period s, min, h or day: anon and user for every API view, plus the views' own scopes "
        "(public-api, stagemarkt-search, applications). Load tests from one address need "
        "higher numbers.",
    ),
    EnvVar(
        "STAGEKANS_REFERENCE_CACHE_SECONDS",
        "300",
        "Seconds each web process keeps small reference tables (qualifications, PC4 areas) in "
        "memory for the public search; 0 turns this off.",
    ),
    EnvVar(
        "OUTBOX_SMTP_CONNECTIONS",
        "4",
        "SMTP connections the outbox drain keeps open at once; each sends its share of a batch.",
    ),
    EnvVar(
        "STAGEKANS_SNAPSHOT_MAX_AGE",
        "300",
        "Seconds the precomputed figures of a national staff page (hand-out and voorlichting "
        "coverage) may age before a background refresh recounts them; 0 counts on every view.",
    ),
    EnvVar(
        "WEBAUTHN_RP_ID",
        "",
        "Domain that security keys and passkeys are registered for (the WebAuthn relying party "
        "id), e.g. stagekans.nl. Changing it makes every registered key unusable. Empty: the "
        "first host name in DJANGO_ALLOWED_HOSTS in production, localhost elsewhere.",
    ),
    EnvVar(
        "WEBAUTHN_ALLOWED_ORIGINS",
        "",
        "Comma-separated origins the browser may run a security-key ceremony from, e.g. "
        "https://stagekans.nl. Empty: https://<WEBAUTHN_RP_ID> in production, "
        "http://localhost:8000 elsewhere (Chromium treats http://localhost as secure).",
        list,
    ),
    EnvVar(
        "STAGEKANS_TRUSTED_PROXY_COUNT",
        "0",
        "Number of reverse proxies of our own in front of the web processes, each appending to "
        "X-Forwarded-For. 0: use REMOTE_ADDR (no proxy). Production behind one TLS proxy: 1.",
    ),
]

_env = environ.Env()


def get(name: str) -> Any:
    """Read a declared variable; reading an undeclared one is a programming error."""
    for var in DECLARED:
        if var.name == name:
            if name not in os.environ:
                if var.cast is list:
                    return [item.strip() for item in str(var.default).split(",") if item.strip()]
                return var.default
            if var.cast is bool:
                return _env.bool(name)
            if var.cast is list:
                return _env.list(name)
            return os.environ[name]
    raise KeyError(f"{name} is not declared in stagekans.settings.env.DECLARED")


def db_config() -> dict[str, Any]:
    return _env.db_url_config(get("DATABASE_URL"))


def cache_config() -> dict[str, Any]:
    return _env.cache_url_config(get("CACHE_URL"))


def throttle_rates() -> dict[str, str]:
    rates: dict[str, str] = {}
    for item in str(get("API_THROTTLE_RATES")).split(","):
        scope, _sep, rate = item.partition("=")
        if scope.strip() and rate.strip():
            rates[scope.strip()] = rate.strip()
    return rates


def email_config() -> dict[str, Any]:
    return _env.email_url_config(get("EMAIL_URL"))
