"""Production: PostgreSQL, Redis broker and cache, SMTP; refuses to start insecurely."""

import ipaddress

from django.core.exceptions import ImproperlyConfigured

from stagekans.settings.base import *  # noqa: F403
from stagekans.settings.env import get

DEBUG = False
if SECRET_KEY == "insecure-dev-key-change-me":  # noqa: F405, S105
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

if len(get("BACKGROUND_PSEUDONYM_KEY")) < 32:
    raise ImproperlyConfigured("BACKGROUND_PSEUDONYM_KEY must be set in production (32+ chars).")

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}
SECURE_SSL_REDIRECT = True
# Load balancers probe the web processes over plain HTTP, past the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CONN_HEALTH_CHECKS = True
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405


# Security keys: the relying party is the public host name unless WEBAUTHN_RP_ID says otherwise
# (an IP address or a wildcard cannot be a relying party id); the ceremony runs over https only.
def _relying_party_host(hosts: list[str]) -> str:
    for host in hosts:
        name = host.lstrip(".")
        if not name or "*" in name or name.startswith("["):
            continue
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name
    return "localhost"


OTP_WEBAUTHN_RP_ID = get("WEBAUTHN_RP_ID") or _relying_party_host(ALLOWED_HOSTS)  # noqa: F405
OTP_WEBAUTHN_ALLOWED_ORIGINS = get("WEBAUTHN_ALLOWED_ORIGINS") or [f"https://{OTP_WEBAUTHN_RP_ID}"]
if not get("CELERY_BROKER_URL"):
    raise ImproperlyConfigured("CELERY_BROKER_URL must point at Redis in production.")
