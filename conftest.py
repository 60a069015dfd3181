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
