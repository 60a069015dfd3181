from __future__ import annotations

import pytest

from stagekans.accounts.roles import Role
from stagekans.register.hooks import _revocation_handlers
from stagekans.testing import factories as f


@pytest.fixture
def officers(db):
    """Two different SBB advisors: one proposes, the other approves."""
    return f.UserFactory(role=Role.SBB_ADVISOR), f.UserFactory(role=Role.SBB_ADVISOR)


@pytest.fixture
def temporary_handler():
    """Register a revocation handler for the duration of one test, and remove it after."""
    added: list = []

    def register(handler):
        if handler not in _revocation_handlers:
            _revocation_handlers.append(handler)
            added.append(handler)
        return handler

    yield register
    for handler in added:
        _revocation_handlers.remove(handler)
