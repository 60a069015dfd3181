from __future__ import annotations

from typing import Any

from django import template

from stagekans.voorlichting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def voorlichting_due(context: dict[str, Any]) -> Any:
    """The information text the logged-in student still has to read, or None."""
    request = context.get("request")
    if request is None:
        return None
    due = selectors.needs_reading(request.user)
    return due[0] if due else None
