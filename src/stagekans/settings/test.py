"""Test settings: fast hashing, in-memory mail; PostgreSQL when DATABASE_URL is set."""

from stagekans.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "stagekans.core.storage.PrivateInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEBUG = False
# Tests create and roll back reference rows; an in-process copy would outlive the rollback.
STAGEKANS_REFERENCE_CACHE_SECONDS = 0
# Aggregate pages compute live in tests; core/tests/test_snapshots.py turns snapshots on.
STAGEKANS_SNAPSHOT_MAX_AGE = 0
