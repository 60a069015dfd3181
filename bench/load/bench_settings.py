"""Settings for the load benchmark: production settings, except that the benchmark talks plain
HTTP on the loopback interface (no TLS proxy), so cookies may not be marked Secure and the
HTTPS redirect is left to the proxy that the benchmark does not have. Every request carries
X-Forwarded-Proto: https as the proxy would send it."""

from stagekans.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
