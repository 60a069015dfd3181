"""Log in in the browser as a user would, including the second step (TOTP) that every staff
role needs: the user gets an authenticator device with the test secret, and the helper types
the code the app would show now."""

from __future__ import annotations

import re
from typing import Any

from stagekans.testing import factories as f


def login(page: Any, username: str, password: str = f.PASSWORD) -> None:
    from stagekans.accounts.models import User
    from stagekans.accounts.two_factor import current_code, requires_second_factor

    user = User.objects.get(username=username)
    device = f.totp_device(user) if requires_second_factor(user) else None
    page.context.clear_cookies()
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").last.click()
    if device is not None:
        page.wait_for_url(re.compile(r"/account/tweede-stap/"))
        device.refresh_from_db()
        page.get_by_label("Verificatiecode").fill(current_code(device))
        page.get_by_role("button", name="Verifiëren").click()
    page.wait_for_url(re.compile(r"/$"))
