"""Issuing hand-outs to recognised companies, acknowledging them, reminding, publishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.companies.models import Company
from stagekans.informatiepakket.models import HandoutDelivery, HandoutKind, HandoutVersion
from stagekans.informatiepakket.selectors import current_versions, trainer_addresses
from stagekans.notifications.services import enqueue_mail

REMINDER_AFTER = dt.timedelta(days=14)


def _link(delivery: HandoutDelivery) -> str:
    return settings.SITE_URL + reverse("informatiepakket:delivery_detail", args=[delivery.pk])


def _mail_delivery(delivery: HandoutDelivery, *, reminder: bool) -> None:
    subject = (
        _("Herinnering: lees de hand-out '%(title)s'")
        if reminder
        else _("Nieuw in uw informatiepakket: '%(title)s'")
    ) % {"title": delivery.version.title_nl}
    body = _(
        "Beste praktijkopleider,\n\n"
        "Als erkend leerbedrijf ontvangt u van SBB het informatiepakket over eerlijke werving en "
        "selectie en over veiligheid voor stagiairs. Lees de hand-out '%(title)s' (versie "
        "%(version)s) en bevestig dat u hem gelezen heeft:\n\n%(link)s\n\n"
        "Met vriendelijke groet,\nStagekans / SBB"
    ) % {
        "title": delivery.version.title_nl,
        "version": delivery.version.version,
        "link": _link(delivery),
    }
    suffix = f"reminder:{delivery.reminder_count}" if reminder else "issued"
    for address in trainer_addresses(delivery.company):
        enqueue_mail(
            to=address,
            subject=subject,
            body=body,
            dedup_key=f"handout:{delivery.pk}:{suffix}:{address}",
        )


def _issue(company: Company, version: HandoutVersion, acting_user: Any) -> HandoutDelivery | None:
    delivery, created = HandoutDelivery.objects.get_or_create(company=company, version=version)
    if not created:
        return None
    record(
        actor=acting_user,
        event=AuditEvent.HANDOUT_ISSUED,
        obj=delivery,
        details={"company": company.pk, "kind": version.kind, "version": version.version},
    )
    _mail_delivery(delivery, reminder=False)
    return delivery


@transaction.atomic
def issue_current_handouts(*, acting_user: Any, company: Company) -> list[HandoutDelivery]:
    """Give a (newly) recognised company the current version of every hand-out, once."""
    issued = [_issue(company, version, acting_user) for version in current_versions()]
    return [d for d in issued if d is not None]


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


def issue_version_in_batches(*, version_id: int, batch_size: int = 500) -> int:
    """Issue a version to every validly recognised company, resumable and with progress."""
    from stagekans.informatiepakket.selectors import recognised_company_ids

    version = HandoutVersion.objects.get(pk=version_id)
    company_ids: list[int] = list(
        Company.objects.filter(pk__in=recognised_company_ids())
        .exclude(handouts__version=version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(company_ids), batch_size):
        with transaction.atomic():
            for company in Company.objects.filter(pk__in=company_ids[start : start + batch_size]):
                _issue(company, version, None)
            HandoutVersion.objects.filter(pk=version.pk).update(
                issued_count=HandoutDelivery.objects.filter(version=version).count()
            )
    HandoutVersion.objects.filter(pk=version.pk).update(
        issued_count=HandoutDelivery.objects.filter(version=version).count(),
        issue_finished_at=timezone.now(),
    )
    return len(company_ids)
