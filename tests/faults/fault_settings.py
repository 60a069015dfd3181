"""Fault tests run the application with production settings, except that they talk plain HTTP
on loopback (no TLS proxy): cookies may not be marked Secure and there is no HTTPS redirect.
Requests carry X-Forwarded-Proto: https as the proxy would send it."""

from stagekans.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
