"""What other apps must do, in the same transaction, when a recognition is revoked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RevocationHandler = Callable[..., None]
_revocation_handlers: list[RevocationHandler] = []


def on_recognition_revoked(handler: RevocationHandler) -> RevocationHandler:
    if handler not in _revocation_handlers:
        _revocation_handlers.append(handler)
    return handler


def run_revocation_handlers(*, recognition: Any, acting_user: Any) -> None:
    for handler in list(_revocation_handlers):
        handler(recognition=recognition, acting_user=acting_user)


GrantHandler = Callable[..., None]
_grant_handlers: list[GrantHandler] = []


def on_recognition_granted(handler: GrantHandler) -> GrantHandler:
    """Register what must happen, in the same transaction, when a company is (re)recognised."""
    if handler not in _grant_handlers:
        _grant_handlers.append(handler)
    return handler


def run_grant_handlers(*, recognition: Any, acting_user: Any) -> None:
    for handler in list(_grant_handlers):
        handler(recognition=recognition, acting_user=acting_user)


BulkGrantHandler = Callable[..., None]
_bulk_grant_handlers: dict[GrantHandler, BulkGrantHandler] = {}


def bulk_variant_of(handler: GrantHandler) -> Callable[[BulkGrantHandler], BulkGrantHandler]:
    """Register a set-based version of a grant handler, for national imports: it receives
    `recognitions` (a list) and must have the same effect as calling `handler` for each."""

    def register(bulk: BulkGrantHandler) -> BulkGrantHandler:
        _bulk_grant_handlers[handler] = bulk
        return bulk

    return register


def run_grant_handlers_in_bulk(*, recognitions: list[Any], acting_user: Any) -> None:
    if not recognitions:
        return
    for handler in list(_grant_handlers):
        bulk = _bulk_grant_handlers.get(handler)
        if bulk is not None:
            bulk(recognitions=recognitions, acting_user=acting_user)
        else:
            for recognition in recognitions:
                handler(recognition=recognition, acting_user=acting_user)


RevocationPreview = Callable[..., list[str]]
_revocation_previews: list[RevocationPreview] = []


def on_revocation_preview(handler: RevocationPreview) -> RevocationPreview:
    """Register how an app describes, before approval, what a revocation will do in it (one
    Dutch sentence per effect, e.g. "3 gepubliceerde vacatures worden ingetrokken")."""
    if handler not in _revocation_previews:
        _revocation_previews.append(handler)
    return handler


def revocation_effects(*, recognition: Any, revocation: Any = None) -> list[str]:
    effects: list[str] = []
    for handler in list(_revocation_previews):
        effects.extend(handler(recognition=recognition, revocation=revocation))
    return effects


@dataclass(frozen=True)
class RevocationAsk:
    """A decision elsewhere (e.g. an investigation case) that asks SBB's advisers to propose
    revoking a company's recognitions. An adviser opens `url` and proposes (the first officer);
    another adviser then approves in the register (the second officer)."""

    company: str
    reference: str
    asked_on: dt.date
    summary: str
    url: str


RevocationAskProvider = Callable[..., list[RevocationAsk]]
_revocation_ask_providers: list[RevocationAskProvider] = []


def on_revocation_asks(provider: RevocationAskProvider) -> RevocationAskProvider:
    """Register where asks for a revocation come from (called with `user=`)."""
    if provider not in _revocation_ask_providers:
        _revocation_ask_providers.append(provider)
    return provider


def revocation_asks(*, user: Any) -> list[RevocationAsk]:
    asks: list[RevocationAsk] = []
    for provider in list(_revocation_ask_providers):
        asks.extend(provider(user=user))
    return sorted(asks, key=lambda ask: (ask.asked_on, ask.reference))


AssessmentPanel = Callable[..., Any]
_assessment_panels: list[AssessmentPanel] = []


def on_assessment_panel(provider: AssessmentPanel) -> AssessmentPanel:
    """Register a panel that higher apps show on a recognition's page, beside the conditions the
    adviser assesses. The provider gets `recognition` and `user` and returns a dict with
    `template` (a template name) and `context`, or None when it has nothing for this user."""
    if provider not in _assessment_panels:
        _assessment_panels.append(provider)
    return provider


def assessment_panels(*, recognition: Any, user: Any) -> list[dict[str, Any]]:
    panels = []
    for provider in list(_assessment_panels):
        panel = provider(recognition=recognition, user=user)
        if panel is not None:
            panels.append(panel)
    return panels
