"""Reads for the meldpunt, each scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagekans.cases.services import SharedIdentity
from stagekans.core.anonymity import Identity
from stagekans.core.suppression import suppress_jointly
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
    """The report for a receipt code, or None (wrong code, logged-in report, erased).

    Every well-formed code costs exactly one Argon2 verification: an unknown number, a report
    filed with an account and an erased report have no hash and are checked against a dummy
    hash, so timing does not reveal which numbers exist or how a report was filed.
    """
    parsed = receipt.parse(code)
    if parsed is None:
        return None
    report = Report.objects.filter(reference=parsed.reference).first()
    secret_hash = report.receipt_code_hash if report is not None else ""
    if not receipt.verify_secret(secret_hash, parsed.secret) or report is None:
        return None
    return report


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


def reporter_identity(report: Report) -> Identity:
    """Name and contact details that must not appear in an anonymised summary
    (matched by stagekans.core.anonymity: whole words, any phone format)."""
    name, email, phone = _identity_parts(report)
    return Identity(
        names=(name,) if name else (),
        emails=(email,) if email else (),
        phones=(phone,) if phone else (),
    )


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


def published_years(today: dt.date | None = None) -> list[int]:
    """Calendar years whose statistics may be published, newest first: complete years only.

    A published table covers one whole calendar year that has ended, so it never changes
    afterwards and no two published tables overlap partially: comparing tables from different
    days cannot reveal a suppressed cell (docs/adr/0300-meldpunt-privacy.md, "Published periods").
    The last complete year is always offered, also when it has no reports.
    """
    today = today or timezone.localdate()
    last = today.year - 1
    first_received = (
        Report.objects.order_by("received_at").values_list("received_at", flat=True).first()
    )
    first = min(timezone.localtime(first_received).year, last) if first_received else last
    return list(range(last, first - 1, -1))


def report_counts(dimension: str, *, year: int, today: dt.date | None = None) -> CountTable:
    """Reports per category of `dimension` × month of receipt in the complete calendar `year`.

    Only a year that has ended may be counted for publication (ValueError otherwise). A report
    with several grounds counts once for each ground in the ground table.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    today = today or timezone.localdate()
    if year >= today.year:
        raise ValueError(f"{year} is not a complete calendar year yet")
    month_list = [dt.date(year, month, 1) for month in range(1, 13)]
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime(year, 1, 1), tz)
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1), tz)
    all_choices: dict[str, list[tuple[str, Any]]] = {
        "ground": Ground.choices,
        "phase": Phase.choices,
        "sector": [*Sector.choices, (UNKNOWN, _("Onbekend"))],
        "province": [*Province.choices, (UNKNOWN, _("Onbekend"))],
    }
    choices = all_choices[dimension]
    keys = [key for key, _label in choices]
    counts = np.zeros((len(keys), len(month_list)), dtype=np.int64)
    # Aggregated in SQL: one row per category with a count per local month (COUNT … FILTER on
    # the month's boundaries, so no per-row time-zone conversion), not one row per report.
    bounds = [timezone.make_aware(dt.datetime(year, m, 1), tz) for m in range(1, 13)] + [end]
    qs: QuerySet[Any]
    if dimension == "ground":
        field, qs = (
            "ground",
            ReportGround.objects.filter(
                report__received_at__gte=start, report__received_at__lt=end
            ),
        )
        moment = "report__received_at"
    else:
        field, qs = dimension, Report.objects.filter(received_at__gte=start, received_at__lt=end)
        moment = "received_at"
    per_month = {
        f"m{i}": Count(
            "pk", filter=Q(**{f"{moment}__gte": bounds[i], f"{moment}__lt": bounds[i + 1]})
        )
        for i in range(12)
    }
    rows: Any = qs.values(field).annotate(**per_month).order_by()
    key_index = {k: i for i, k in enumerate(keys)}
    for row in rows:
        index = key_index.get(row[field] or UNKNOWN)
        if index is not None:
            counts[index] += np.array([row[f"m{i}"] for i in range(12)], dtype=np.int64)
    return CountTable(
        dimension=dimension,
        row_keys=keys,
        row_labels=[str(label) for _key, label in choices],
        months=month_list,
        counts=counts,
    )


@dataclass(frozen=True)
class PublishedTable:
    """A count table as published, page and CSV alike: None marks a suppressed entry."""

    dimension: str
    year: int
    months: list[dt.date]
    row_labels: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None


def published_statistics(
    dimension: str, *, year: int, k: int, today: dt.date | None = None
) -> PublishedTable:
    """The suppressed table for one complete calendar year — the only form that is published.

    The breakdowns of one year whose month totals are equal (phase, sector and province count
    every report once; the ground table too when no report has several grounds) share their
    month totals and grand total, so they are suppressed together: each publishes exactly the
    same margins and combining them recovers no hidden entry (core.suppression.suppress_jointly).
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    tables = {d: report_counts(d, year=year, today=today) for d in DIMENSIONS}
    table = tables[dimension]
    sharing = [
        d
        for d, other in tables.items()
        if (other.counts.sum(axis=0) == table.counts.sum(axis=0)).all()
    ]
    published = suppress_jointly([tables[d].counts for d in sharing], k)[sharing.index(dimension)]
    n_rows, n_cols = table.counts.shape
    return PublishedTable(
        dimension=dimension,
        year=year,
        months=table.months,
        row_labels=table.row_labels,
        cells=[[published.published_cell(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[published.published_row_total(i) for i in range(n_rows)],
        column_totals=[published.published_column_total(j) for j in range(n_cols)],
        grand_total=published.published_grand_total(),
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
