"""Issuing hand-outs to recognised companies, acknowledging them, reminding, publishing."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record, record_many_by_pk
from stagekans.companies.models import Company
from stagekans.core.bulk import insert_rows
from stagekans.informatiepakket.models import HandoutDelivery, HandoutKind, HandoutVersion
from stagekans.informatiepakket.selectors import (
    current_versions,
    trainer_addresses,
    trainer_addresses_of,
)
from stagekans.jobs import services as jobs
from stagekans.notifications.services import Mail, enqueue_mails

REMINDER_AFTER = dt.timedelta(days=14)


_PK_PLACEHOLDER = 987654321


def _link(delivery_pk: int) -> str:
    """The delivery's page; `reverse` once per process, not once per delivery."""
    template = _link_template()
    return template.replace(str(_PK_PLACEHOLDER), str(delivery_pk))


@functools.cache
def _link_template() -> str:
    return settings.SITE_URL + reverse("informatiepakket:delivery_detail", args=[_PK_PLACEHOLDER])


def _delivery_mails(
    delivery_pk: int,
    version: HandoutVersion,
    addresses: list[str],
    *,
    reminder: bool,
    reminder_count: int = 0,
) -> list[Mail]:
    subject = (
        _("Herinnering: lees de hand-out '%(title)s'")
        if reminder
        else _("Nieuw in uw informatiepakket: '%(title)s'")
    ) % {"title": version.title_nl}
    body = _(
        "Beste praktijkopleider,\n\n"
        "Als erkend leerbedrijf ontvangt u van SBB het informatiepakket over eerlijke werving en "
        "selectie en over veiligheid voor stagiairs. Lees de hand-out '%(title)s' (versie "
        "%(version)s) en bevestig dat u hem gelezen heeft:\n\n%(link)s\n\n"
        "Met vriendelijke groet,\nStagekans / SBB"
    ) % {
        "title": version.title_nl,
        "version": version.version,
        "link": _link(delivery_pk),
    }
    suffix = f"reminder:{reminder_count}" if reminder else "issued"
    return [
        Mail(
            to=address,
            subject=subject,
            body=body,
            dedup_key=f"handout:{delivery_pk}:{suffix}:{address}",
        )
        for address in addresses
    ]


def _mail_delivery(delivery: HandoutDelivery, *, reminder: bool) -> None:
    enqueue_mails(
        _delivery_mails(
            delivery.pk,
            delivery.version,
            trainer_addresses(delivery.company),
            reminder=reminder,
            reminder_count=delivery.reminder_count,
        )
    )


def issue_to_companies(
    *, acting_user: Any, version: HandoutVersion, company_ids: list[int]
) -> list[HandoutDelivery]:
    """Issue `version` to every listed company that lacks it: set-based, in the caller's
    transaction (one query per step, whatever the number of companies). Audit rows and mails
    are the same as issuing one company at a time."""
    issued = _issue(acting_user=acting_user, version=version, company_ids=company_ids)
    deliveries = []
    for pk, company_id in issued:
        delivery = HandoutDelivery(pk=pk, company_id=company_id, version=version)
        delivery._state.adding = False
        deliveries.append(delivery)
    return deliveries


def _issue(
    *,
    acting_user: Any,
    version: HandoutVersion,
    company_ids: list[int],
    addresses: dict[int, list[str]] | None = None,
) -> list[tuple[int, int]]:
    """`issue_to_companies` without model instances: returns [(delivery pk, company pk)].
    `addresses` (trainer_addresses_of) may be given when the caller looked them up already."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_to_companies() must run inside a transaction")
    have = set(
        HandoutDelivery.objects.filter(version=version, company_id__in=company_ids).values_list(
            "company_id", flat=True
        )
    )
    wanted = [pk for pk in dict.fromkeys(company_ids) if pk not in have]
    if not wanted:
        return []
    ids = insert_rows(
        HandoutDelivery, ("company_id", "version_id"), [(pk, version.pk) for pk in wanted]
    )
    issued = list(zip(ids, wanted, strict=True))
    record_many_by_pk(
        actor=acting_user,
        event=AuditEvent.HANDOUT_ISSUED,
        model=HandoutDelivery,
        items=(
            (pk, {"company": company_id, "kind": version.kind, "version": version.version})
            for pk, company_id in issued
        ),
    )
    if addresses is None:
        addresses = trainer_addresses_of(wanted)
    enqueue_mails(
        mail
        for pk, company_id in issued
        if company_id in addresses  # a company without an (active) trainer gets no mail
        for mail in _delivery_mails(pk, version, addresses[company_id], reminder=False)
    )
    return issued


def issue_current_handouts_to_companies(*, acting_user: Any, company_ids: list[int]) -> int:
    """Give (newly) recognised companies the current version of every hand-out, once."""
    versions = current_versions()
    if not versions:
        return 0
    addresses = trainer_addresses_of(company_ids)  # once for every version
    return sum(
        len(
            _issue(
                acting_user=acting_user,
                version=version,
                company_ids=company_ids,
                addresses=addresses,
            )
        )
        for version in versions
    )


@transaction.atomic
def issue_current_handouts(*, acting_user: Any, company: Company) -> list[HandoutDelivery]:
    """Give a (newly) recognised company the current version of every hand-out, once."""
    issued: list[HandoutDelivery] = []
    for version in current_versions():
        issued += issue_to_companies(
            acting_user=acting_user, version=version, company_ids=[company.pk]
        )
    return issued


@transaction.atomic
def acknowledge(*, acting_user: Any, delivery: HandoutDelivery) -> HandoutDelivery:
    """A trainer of the company confirms having read this version ('gelezen')."""
    if not acting_user.has_perm("informatiepakket.acknowledge_handout"):
        raise PermissionDenied
    delivery = (
        HandoutDelivery.objects.select_for_update().select_related("version").get(pk=delivery.pk)
    )
    trainer = getattr(acting_user, "trainer", None)
    if trainer is None or trainer.company_id != delivery.company_id:
        raise PermissionDenied
    if delivery.acknowledged_at is not None:
        raise ValidationError(_("Deze hand-out is al als gelezen bevestigd."))
    delivery.acknowledged_at = timezone.now()
    delivery.acknowledged_by = acting_user
    delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(
        actor=acting_user,
        event=AuditEvent.HANDOUT_ACKNOWLEDGED,
        obj=delivery,
        details={"kind": delivery.version.kind, "version": delivery.version.version},
    )
    return delivery


def send_due_reminders(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Remind companies that have not acknowledged a hand-out 14 days after delivery (and every
    14 days after that). Each reminder is its own transaction with its outbox mail."""
    moment = now or timezone.now()
    due = (
        HandoutDelivery.objects.filter(
            acknowledged_at__isnull=True, delivered_at__lte=moment - REMINDER_AFTER
        )
        .exclude(reminded_at__gt=moment - REMINDER_AFTER)
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            delivery = (
                HandoutDelivery.objects.select_for_update(skip_locked=True)
                .select_related("version", "company")
                .filter(pk=pk)
                .first()
            )
            if delivery is None or delivery.acknowledged_at is not None:
                continue
            if delivery.reminded_at and delivery.reminded_at > moment - REMINDER_AFTER:
                continue
            delivery.reminder_count += 1
            delivery.reminded_at = moment
            delivery.save(update_fields=["reminder_count", "reminded_at"])
            _mail_delivery(delivery, reminder=True)
            record(
                actor=None,
                event=AuditEvent.HANDOUT_REMINDED,
                obj=delivery,
                details={"reminder": delivery.reminder_count},
            )
            sent += 1
    return sent


@transaction.atomic
def publish_version(
    *, acting_user: Any, kind: str, title_nl: str, body_nl: str, title_en: str, body_en: str
) -> HandoutVersion:
    """Publish a new version; the issuing to every recognised company runs in the background."""
    if not acting_user.has_perm("informatiepakket.publish_handout"):
        raise PermissionDenied
    errors = {}
    if kind not in HandoutKind.values:
        errors["kind"] = _("Kies een bestaande hand-out.")
    for field, value in (
        ("title_nl", title_nl),
        ("body_nl", body_nl),
        ("title_en", title_en),
        ("body_en", body_en),
    ):
        if not value or not value.strip():
            errors[field] = _("Dit veld is verplicht.")
    if errors:
        raise ValidationError(errors)
    latest = HandoutVersion.objects.filter(kind=kind).aggregate(m=Max("version"))["m"] or 0
    from stagekans.informatiepakket.selectors import recognised_company_ids

    try:
        with transaction.atomic():
            version = HandoutVersion.objects.create(
                kind=kind,
                version=latest + 1,
                title_nl=title_nl.strip(),
                body_nl=body_nl.strip(),
                title_en=title_en.strip(),
                body_en=body_en.strip(),
                published_by=acting_user,
                issue_target=recognised_company_ids().count(),
            )
    except IntegrityError as exc:  # two officers published at the same moment
        raise ValidationError(
            _("Er is zojuist een andere versie gepubliceerd. Laad de pagina opnieuw.")
        ) from exc
    record(
        actor=acting_user,
        event=AuditEvent.HANDOUT_PUBLISHED,
        obj=version,
        details={"kind": kind, "version": version.version},
    )

    def _start() -> None:
        from stagekans.informatiepakket.tasks import issue_version

        issue_version.delay(version.pk)

    transaction.on_commit(_start)
    return version


ISSUE_JOB = "informatiepakket.issue_version"


def issue_version_in_batches(*, version_id: int, batch_size: int = 2000) -> int:
    """Issue a version to every validly recognised company that lacks it, in chunks of their own
    transactions, with progress (jobs.BackgroundJob) for the publish page.

    Idempotent and resumable: a chunk commits its deliveries, audit rows, mails and progress
    together; a re-run after a crash continues with the companies that still lack the version.
    Returns the number of deliveries written by this run.
    """
    from stagekans.informatiepakket.selectors import recognised_company_ids

    version = HandoutVersion.objects.get(pk=version_id)
    company_ids: list[int] = list(
        Company.objects.filter(pk__in=recognised_company_ids())
        .exclude(handouts__version=version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    job = jobs.start(
        acting_user=version.published_by,
        kind=ISSUE_JOB,
        subject=f"handoutversion:{version.pk}",
        label=_("Verstrekken van %(version)s") % {"version": version},
        total=len(company_ids),
    )
    written = 0
    try:
        for start in range(0, len(company_ids), batch_size):
            chunk = company_ids[start : start + batch_size]
            with transaction.atomic():
                issued = _issue(acting_user=None, version=version, company_ids=chunk)
                HandoutVersion.objects.filter(pk=version.pk).update(
                    issued_count=F("issued_count") + len(issued)
                )
                jobs.advance(job, done=len(chunk), cursor={"last_company": chunk[-1]})
            written += len(issued)
    except Exception as error:
        jobs.fail(job, error=f"{type(error).__name__}: {error}")
        raise
    HandoutVersion.objects.filter(pk=version.pk).update(
        issued_count=HandoutDelivery.objects.filter(version=version).count(),
        issue_finished_at=timezone.now(),
    )
    jobs.finish(job, result={"issued": written})
    return written
