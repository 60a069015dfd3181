"""Writes for investigation cases: every state change is one audited service.

Other apps open a case only through open_case_from_reports (meldpunt) or open_case (an SBB
officer, or a signal). Each transition locks the case row, checks the transition table in
cases/workflow.py, appends a status-history row and writes its audit row in the same
transaction. The reporter's identity (CaseReporter) never reaches the company or the school.

The services are split along the steps of a case; this package keeps one public face:
`opening` (open, queue, assign, start, close), `hearings` (hoor en wederhoor, reminders),
`decisions` (decision, measure, revocation request), `objections` (bezwaar, reassessment) and
`messages` (messages to parties, view audit). `_base` holds what they share.
"""

from __future__ import annotations

from stagekans.cases.services._base import (
    HEARING_WORKING_DAYS,
    MAX_ATTACHMENTS,
    MAX_TEXT,
    OBJECTION_PERIOD,
    REMIND_WORKING_DAYS_BEFORE,
    SharedIdentity,
)
from stagekans.cases.services.decisions import decide, propose_revocation_for_decision
from stagekans.cases.services.hearings import (
    extend_hearing_deadline,
    request_hearing,
    respond_to_hearing,
    send_hearing_reminders,
    start_assessment,
)
from stagekans.cases.services.messages import record_case_view, send_message
from stagekans.cases.services.objections import (
    file_objection_by_company,
    register_objection,
    reopen_assessment,
)
from stagekans.cases.services.opening import (
    assign_case,
    close_case,
    forget_reporter,
    open_case,
    open_case_from_reports,
    pick_up_case,
    select_school,
    start_investigation,
)
from stagekans.cases.services.teams import create_team, route_unrouted_cases, set_team_member

__all__ = [
    "HEARING_WORKING_DAYS",
    "MAX_ATTACHMENTS",
    "MAX_TEXT",
    "OBJECTION_PERIOD",
    "REMIND_WORKING_DAYS_BEFORE",
    "SharedIdentity",
    "assign_case",
    "close_case",
    "create_team",
    "decide",
    "extend_hearing_deadline",
    "file_objection_by_company",
    "forget_reporter",
    "open_case",
    "open_case_from_reports",
    "pick_up_case",
    "propose_revocation_for_decision",
    "record_case_view",
    "register_objection",
    "reopen_assessment",
    "request_hearing",
    "respond_to_hearing",
    "route_unrouted_cases",
    "select_school",
    "send_hearing_reminders",
    "send_message",
    "set_team_member",
    "start_assessment",
    "start_investigation",
]
