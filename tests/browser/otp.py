"""The second step of a browser login: type the real TOTP code of the user's device.

Used by `login` in tests/browser/conftest.py and by tests/browser/crawl.py (also from
scripts/screenshots.py); needs Django set up, as both have it.
"""

from __future__ import annotations

import re
import time
from typing import Any


def ensure_device(username: str) -> Any:
    """The user's confirmed TOTP device, or a test device (factories.TEST_TOTP_KEY) for staff
    without one; None for users who need no second factor."""
    from stagekans.accounts.models import User
    from stagekans.accounts.two_factor import confirmed_totp_device, requires_second_factor
    from stagekans.testing import factories as f

    user = User.objects.get(username=username)
    if not requires_second_factor(user):
        return None
    return confirmed_totp_device(user) or f.totp_device(user)


def enter_second_factor(page: Any, username: str) -> None:
    """On the second-step page: fill in a code the device still accepts and submit it. A code
    is accepted once; a second login in the same 30 s takes the next step's code, which
    django-otp still accepts, or waits for it."""
    from stagekans.accounts.two_factor import current_code

    device = ensure_device(username)
    if device is None:
        return
    page.wait_for_url(re.compile(r"/account/tweede-stap/"))
    device.refresh_from_db()
    wait = (device.last_t * device.step + device.t0) - time.time()
    if wait > 0:  # this step's and the next step's codes are both used up
        time.sleep(wait + 0.2)
    page.get_by_label("Verificatiecode").fill(current_code(device))
    page.get_by_role("button", name="Verifiëren").click()
