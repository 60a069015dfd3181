"""Reads of the mail outbox, for the beheerder's outbox page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stagekans.notifications.models import OutboxMessage


def outbox_for(user: Any, *, state: str = "", query: str = "") -> QuerySet[OutboxMessage]:
    """Newest first; `state` is 'sent', 'waiting' or 'failing'; `query` searches to/subject."""
    if not user.has_perm("notifications.view_outboxmessage"):
        return OutboxMessage.objects.none()
    messages = OutboxMessage.objects.order_by("-created_at", "-id")
    if state == "sent":
        messages = messages.filter(sent_at__isnull=False)
    elif state == "waiting":
        messages = messages.filter(sent_at__isnull=True, attempts=0)
    elif state == "failing":
        messages = messages.filter(sent_at__isnull=True, attempts__gt=0)
    if query:
        from django.db.models import Q

        messages = messages.filter(Q(to__icontains=query) | Q(subject__icontains=query))
    return messages
