"""Reads for the meldpunt, each scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagekans.cases.services import SharedIdentity
from stagekans.education.models import Sector
from stagekans.geo.places import Province
from stagekans.meldpunt import receipt
from stagekans.meldpunt.models import Ground, Phase, Report, ReportGround
from stagekans.meldpunt.workflow import OPEN_STATUSES


def reports_for_meldpunt(user: Any) -> QuerySet[Report]:
    """Every report for meldpunt staff; nobody else sees reports of others."""
    qs = Report.objects.select_related("company").prefetch_related(
        Prefetch("grounds", queryset=ReportGround.objects.order_by("ground"))
    )
    if user.is_authenticated and user.has_perm("meldpunt.view_report"):
        return qs
    return qs.none()


def own_reports(user: Any) -> QuerySet[Report]:
    """Reports a logged-in user filed herself (a student, or school staff on a student's behalf)."""
    if not user.is_authenticated:
        return Report.objects.none()
    return (
        Report.objects.filter(reporter_user=user)
        .select_related("company")
        .prefetch_related("grounds")
        .order_by("-received_at", "-id")
    )


def work_queue(user: Any) -> QuerySet[Report]:
    """Open reports, the most urgent (earliest due, not yet answered) first."""
    return (
        reports_for_meldpunt(user)
        .filter(status__in=OPEN_STATUSES)
        .order_by("first_reply_at", "reply_due_on", "received_at")
    )


def sla_state(report: Report, today: dt.date | None = None) -> str:
    """'answered', 'overdue', 'due_today' or 'on_time' for the first reply."""
    if report.first_reply_at is not None:
        return "answered"
    today = today or timezone.localdate()
    if report.reply_due_on < today:
        return "overdue"
    if report.reply_due_on == today:
        return "due_today"
    return "on_time"


def queue_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    unanswered = work_queue(user).filter(first_reply_at__isnull=True)
    return {
        "open": work_queue(user).count(),
        "overdue": unanswered.filter(reply_due_on__lt=today).count(),
        "due_today": unanswered.filter(reply_due_on=today).count(),
    }


def find_by_receipt_code(code: str) -> Report | None:
    """The report for a receipt code, or None (wrong code, logged-in report, erased)."""
    parsed = receipt.parse(code)
    if parsed is None:
        return None
    report = Report.objects.filter(reference=parsed.reference).first()
    if report is None:
        # Spend the same time as a real check, so timing does not reveal valid numbers.
        receipt.verify_secret(_DUMMY_HASH, parsed.secret)
        return None
    if not receipt.verify_secret(report.receipt_code_hash, parsed.secret):
        return None
    return report


_DUMMY_HASH = receipt.hash_secret("0" * receipt.SECRET_DIGITS)


def reporter_email(report: Report) -> str:
    try:
        contact = report.contact
    except Report.contact.RelatedObjectDoesNotExist:
        contact = None
    if contact is not None and contact.email:
        return contact.email
    if report.reporter_user_id and report.reporter_user is not None:
        return report.reporter_user.email
    return ""


def _identity_parts(report: Report) -> tuple[str, str, str]:
    try:
        contact = report.contact
    except Report.contact.RelatedObjectDoesNotExist:
        contact = None
    name = contact.name if contact else ""
    email = contact.email if contact else ""
    phone = contact.phone if contact else ""
    student = report.on_behalf_of
    if student is None and report.reporter_user_id:
        student = getattr(report.reporter_user, "student", None)
    if not name and student is not None:
        name = f"{student.given_name} {student.family_name}"
    if not name and report.reporter_user_id and report.reporter_user is not None:
        name = report.reporter_user.get_full_name()
    if not email and report.reporter_user_id and report.reporter_user is not None:
        email = report.reporter_user.email
    return name, email, phone


def identity_for_sbb(report: Report) -> SharedIdentity | None:
    """The reporter's identity for SBB — only with explicit consent, otherwise None."""
    if not report.consent_share_identity_with_sbb or report.contact_erased_at is not None:
        return None
    name, email, phone = _identity_parts(report)
    if not (name or email or phone):
        return None
    return SharedIdentity(report_reference=report.reference, name=name, email=email, phone=phone)


def identifying_values(report: Report) -> list[str]:
    """Name parts and contact details that must not appear in an anonymised summary."""
    name, email, phone = _identity_parts(report)
    values = [email, phone] + [part for part in name.split() if len(part) >= 3]
    return [v for v in values if v]


# --- statistics -------------------------------------------------------------------------------

DIMENSIONS: dict[str, Any] = {
    "ground": _("Discriminatiegrond"),
    "phase": _("Fase"),
    "sector": _("Sector"),
    "province": _("Provincie"),
}
UNKNOWN = "__unknown__"


@dataclass(frozen=True)
class CountTable:
    dimension: str
    row_keys: list[str]
    row_labels: list[str]
    months: list[dt.date]
    counts: npt.NDArray[np.int64]


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    index = today.year * 12 + today.month - 1
    starts = []
    for offset in range(months - 1, -1, -1):
        year, month = divmod(index - offset, 12)
        starts.append(dt.date(year, month + 1, 1))
    return starts


def report_counts(dimension: str, *, months: int = 12, today: dt.date | None = None) -> CountTable:
    """Reports per category of `dimension` × month of receipt, the last `months` months.

    A report with several grounds counts once for each ground in the ground table.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    today = today or timezone.localdate()
    month_list = _month_starts(today, months)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(month_list[0], dt.time.min), tz)
    all_choices: dict[str, list[tuple[str, Any]]] = {
        "ground": Ground.choices,
        "phase": Phase.choices,
        "sector": [*Sector.choices, (UNKNOWN, _("Onbekend"))],
        "province": [*Province.choices, (UNKNOWN, _("Onbekend"))],
    }
    choices = all_choices[dimension]
    keys = [key for key, _label in choices]
    counts = np.zeros((len(keys), len(month_list)), dtype=np.int64)
    rows: Any
    if dimension == "ground":
        rows = (
            ReportGround.objects.filter(report__received_at__gte=start)
            .annotate(month=TruncMonth("report__received_at", tzinfo=tz))
            .values_list("ground", "month")
        )
    else:
        rows = (
            Report.objects.filter(received_at__gte=start)
            .annotate(month=TruncMonth("received_at", tzinfo=tz))
            .values_list(dimension, "month")
        )
    month_index = {m: i for i, m in enumerate(month_list)}
    key_index = {k: i for i, k in enumerate(keys)}
    for key, month in rows:
        column = month_index.get(month.date() if isinstance(month, dt.datetime) else month)
        row = key_index.get(key or UNKNOWN)
        if column is not None and row is not None:
            counts[row, column] += 1
    return CountTable(
        dimension=dimension,
        row_keys=keys,
        row_labels=[str(label) for _key, label in choices],
        months=month_list,
        counts=counts,
    )


def search_register_companies(query: str, limit: int = 10) -> list[Any]:
    """Companies in the public register whose name matches, for the intake form."""
    from stagekans.companies.models import Company
    from stagekans.register.selectors import public_recognitions

    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        Company.objects.filter(
            name__icontains=query, pk__in=public_recognitions().values("company_id")
        ).order_by("name", "pk")[:limit]
    )


def register_company(pk: str) -> Any:
    from stagekans.companies.models import Company
    from stagekans.register.selectors import public_recognitions

    if not str(pk).isdigit():
        return None
    return Company.objects.filter(
        pk=int(pk), pk__in=public_recognitions().values("company_id")
    ).first()
