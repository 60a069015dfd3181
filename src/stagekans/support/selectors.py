"""Reads of the support app, each scoped to what the user may see.

Signals: a school sees its own, nobody else sees one. SBB sees counts per company only, through
`support.tables` (small cells suppressed). Requests to the expert team: the requester's own
school or company and the team. The adviescommissie sees aggregates only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet

from stagekans.support.models import (
    OrganisationKind,
    SchoolSignal,
    SignalOutcome,
    SupportOrganisation,
    SupportRequest,
    SupportTopic,
    Urgency,
)
from stagekans.support.tables import PublishedMedian, PublishedTable, count_table, medians_by_group
from stagekans.support.workflow import OPEN_STATUSES, SupportRequestStatus


def suppression_threshold() -> int:
    return int(settings.MELDPUNT_SUPPRESSION_THRESHOLD)


# --- school signals -----------------------------------------------------------------------------


def signals_visible_to(user: Any) -> QuerySet[SchoolSignal]:
    """The signals of the user's own school; nobody else sees any signal."""
    qs = SchoolSignal.objects.select_related("company", "student", "report", "logged_by")
    if not user.is_authenticated or not user.has_perm("support.log_school_signal"):
        return qs.none()
    staff = getattr(user, "school_staff", None)
    if staff is None:
        return qs.none()
    return qs.filter(school_id=staff.school_id)


def signal_count_table(user: Any, *, k: int | None = None) -> PublishedTable:
    """Signals per company (rows) and outcome (columns), suppressed; for SBB only.

    One GROUP BY in SQL; the rows are the companies with at least one signal. The company page
    shows the published row total of the same table, so no page publishes what another hides.
    """
    k = suppression_threshold() if k is None else k
    if not user.is_authenticated or not user.has_perm("support.view_signal_counts"):
        return count_table([], column_keys=list(SignalOutcome.values), k=k)
    rows = (
        SchoolSignal.objects.values("company_id", "outcome")
        .annotate(n=Count("id"))
        .order_by("company_id", "outcome")
        .values_list("company_id", "outcome", "n")
    )
    return count_table(rows, column_keys=list(SignalOutcome.values), k=k)


def signal_count_for_company(user: Any, company: Any) -> int | None:
    """The published number of signals about one company (None: 1 to k-1, hidden)."""
    return signal_count_table(user).row_total_for(company.pk)


# --- expert team --------------------------------------------------------------------------------


def requests_visible_to(user: Any) -> QuerySet[SupportRequest]:
    """The team sees every request; a school or company its own; others none."""
    qs = SupportRequest.objects.select_related("school", "company", "assigned_to", "requester")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("support.handle_support_request"):
        return qs
    if user.has_perm("support.request_support"):
        staff = getattr(user, "school_staff", None)
        if staff is not None:
            return qs.filter(school_id=staff.school_id)
        trainer = getattr(user, "trainer", None)
        if trainer is not None:
            return qs.filter(company_id=trainer.company_id)
    return qs.none()


def team_queue(user: Any) -> QuerySet[SupportRequest]:
    """Open requests: new ones first (most urgent first), then the user's own."""
    if not user.is_authenticated or not user.has_perm("support.handle_support_request"):
        return SupportRequest.objects.none()
    urgency_order = {Urgency.HIGH: 0, Urgency.NORMAL: 1, Urgency.LOW: 2}
    from django.db.models import Case, IntegerField, Value, When

    return (
        requests_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            urgency_rank=Case(
                *[When(urgency=u, then=Value(rank)) for u, rank in urgency_order.items()],
                output_field=IntegerField(),
            )
        )
        .order_by("urgency_rank", "created_at", "id")
    )


def queue_counts(user: Any) -> dict[str, int]:
    queue = team_queue(user)
    return {
        "new": queue.filter(status=SupportRequestStatus.NEW).count(),
        "mine": queue.filter(assigned_to=user).count() if user.is_authenticated else 0,
        "open": queue.count(),
    }


def support_overview(user: Any, *, k: int | None = None) -> dict[str, Any]:
    """For the adviescommissie: requests by topic × urgency and the median hours to the first
    response per topic, with small cells suppressed. Never a request, a school or a company."""
    k = suppression_threshold() if k is None else k
    topics, urgencies = list(SupportTopic.values), list(Urgency.values)
    if not user.is_authenticated or not user.has_perm("support.view_support_overview"):
        return {
            "table": count_table([], row_keys=topics, column_keys=urgencies, k=k),
            "medians": medians_by_group([], keys=topics, k=k),
            "k": k,
        }
    counts = (
        SupportRequest.objects.values("topic", "urgency")
        .annotate(n=Count("id"))
        .order_by("topic", "urgency")
        .values_list("topic", "urgency", "n")
    )
    durations = (
        SupportRequest.objects.filter(first_response_at__isnull=False)
        .annotate(waited=F("first_response_at") - F("created_at"))
        .values_list("topic", "waited")
    )
    medians: list[PublishedMedian] = medians_by_group(
        ((topic, waited.total_seconds() / 3600) for topic, waited in durations),
        keys=topics,
        k=k,
    )
    return {
        "table": count_table(counts, row_keys=topics, column_keys=urgencies, k=k),
        "medians": medians,
        "k": k,
    }


# --- referral directory -------------------------------------------------------------------------


def active_organisations() -> QuerySet[SupportOrganisation]:
    return SupportOrganisation.objects.filter(active=True).order_by("kind", "name")


def organisations_for(
    *, kind: str = "", province: str = "", q: str = ""
) -> QuerySet[SupportOrganisation]:
    """The public directory, filtered. National organisations (no province) always match a
    province filter: they serve everyone."""
    qs = active_organisations()
    if kind in OrganisationKind.values:
        qs = qs.filter(kind=kind)
    if province:
        from django.db.models import Q

        qs = qs.filter(Q(province=province) | Q(province=""))
    if q:
        from django.db.models import Q

        qs = qs.filter(
            Q(name__icontains=q) | Q(region__icontains=q) | Q(municipalities__icontains=q)
        )
    return qs


def referral_suggestions(report: Any) -> list[SupportOrganisation]:
    """Organisations for a report: the region's ADVs first, then the national ones."""
    organisations = list(organisations_for(province=report.province or ""))
    return sorted(
        organisations,
        key=lambda o: (o.province == "", o.kind != OrganisationKind.ANTI_DISCRIMINATION, o.name),
    )
