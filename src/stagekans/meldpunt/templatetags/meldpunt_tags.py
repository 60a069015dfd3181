from __future__ import annotations

from typing import Any

from django import template

from stagekans.meldpunt import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def meldpunt_queue_counts(context: dict[str, Any]) -> dict[str, int]:
    request = context.get("request")
    if request is None or not request.user.has_perm("meldpunt.view_report"):
        return {}
    return selectors.queue_counts(request.user)
