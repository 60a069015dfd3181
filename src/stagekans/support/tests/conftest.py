from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The meldpunt's rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()
