"""Writes of the support app, one module per area (signals, retention, expert team,
directory)."""

from stagekans.support.services.directory import refer_report
from stagekans.support.services.expert_team import (
    close_request,
    give_advice,
    log_follow_up,
    submit_support_request,
    take_request,
)
from stagekans.support.services.retention import anonymise_expired_signals
from stagekans.support.services.signals import (
    close_signal,
    log_signal,
    report_signal,
    update_signal,
)

__all__ = [
    "anonymise_expired_signals",
    "close_request",
    "close_signal",
    "give_advice",
    "log_follow_up",
    "log_signal",
    "refer_report",
    "report_signal",
    "submit_support_request",
    "take_request",
    "update_signal",
]
