"""Shared pytest fixtures. Browser fixtures live in tests/browser/conftest.py."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.test")

# Property tests: no per-example deadline (a shared 2-core CI machine makes timings noisy);
# in CI the examples are derandomised so a run is reproducible.
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("stagekans", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "stagekans")


def _force_login_with_second_factor() -> None:
    """`client.force_login(user)` skips the password by definition; for staff it also marks the
    session as verified by a real TOTP device (made with factories.TEST_TOTP_KEY), so tests of
    pages keep working while the second factor is enforced. The login + code flow itself is
    tested in accounts/tests/test_security_login.py."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login
    if getattr(original, "_stagekans_otp", False):
        return

    def force_login(self, user, backend=None):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY

        from stagekans.accounts.two_factor import requires_second_factor
        from stagekans.testing.factories import totp_device

        if requires_second_factor(user):
            device = totp_device(user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    force_login._stagekans_otp = True  # type: ignore[attr-defined]
    ClientMixin.force_login = force_login  # type: ignore[method-assign]


_force_login_with_second_factor()


@pytest.fixture(autouse=True)
def _dutch(settings):  # type: ignore[no-untyped-def]
    """Tests see the site as a Dutch user does unless they switch."""
    settings.LANGUAGE_CODE = "nl"
    from django.utils import translation

    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):  # type: ignore[no-untyped-def]
    """Transactional and browser tests flush the database when they end, which also removes
    what data migrations loaded (role groups, first texts). Put it back before such a test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType

        if not Group.objects.exists():
            from stagekans.core.reference_data import restore

            ContentType.objects.clear_cache()
            restore()
    yield
