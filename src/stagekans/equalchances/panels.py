"""The recruitment-policy panel on a recognition's page (register.hooks.on_assessment_panel):
the adviser sees the company's policy beside the safety condition at (re)assessment."""

from __future__ import annotations

from typing import Any

from stagekans.register.hooks import on_assessment_panel


@on_assessment_panel
def recruitment_policy_panel(*, recognition: Any, user: Any) -> dict[str, Any] | None:
    from stagekans.equalchances import selectors

    if not user.has_perm("equalchances.view_recruitment_policy"):
        return None
    status = selectors.policy_status(recognition.company)
    return {
        "template": "equalchances/_policy_panel.html",
        "context": {"status": status, "policy": status.policy},
    }
