"""Template tags for pages of other apps that show a figure of the support app."""

from __future__ import annotations

from typing import Any

from django import template

from stagekans.support import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def school_signal_count(context: Any, company: Any) -> dict[str, Any] | None:
    """For SBB on the company page: the published number of school signals (None: hidden)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("support.view_signal_counts"):
        return None
    return {
        "count": selectors.signal_count_for_company(user, company),
        "k": selectors.suppression_threshold(),
    }


@register.simple_tag(takes_context=True)
def expert_team_counts(context: Any) -> dict[str, int]:
    request = context.get("request")
    return selectors.queue_counts(request.user) if request is not None else {}
