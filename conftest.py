"""Shared pytest fixtures. Browser fixtures live in tests/browser/conftest.py."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.test")


@pytest.fixture(autouse=True)
def _dutch(settings):  # type: ignore[no-untyped-def]
    """Tests see the site as a Dutch user does unless they switch."""
    settings.LANGUAGE_CODE = "nl"
    from django.utils import translation

    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _roles_survive_flush(request):  # type: ignore[no-untyped-def]
    """Transactional tests flush the database, which removes the role groups that the data
    migration made; put them back so every test sees the real roles."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        from stagekans.accounts.roles import sync_roles

        ContentType.objects.clear_cache()
        sync_roles(apps)
    yield
