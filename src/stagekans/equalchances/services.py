"""Writes of the equal-chances app: self-scan versions and results, recruitment policies and the
webinar training record. Every change is one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.companies.models import Company, Trainer
from stagekans.equalchances.models import (
    SOURCE_URL_MAX_LENGTH,
    RecruitmentPolicy,
    RecruitmentStep,
    ScanAnswer,
    ScanOption,
    ScanQuestion,
    ScanResult,
    ScanStepScore,
    ScanVersion,
    TrainingSource,
    Webinar,
    WebinarAttendance,
    validate_source_url,
)
from stagekans.equalchances.scoring import AnsweredQuestion, score_steps, total_of
from stagekans.equalchances.workflow import ScanVersionStatus, check_transition

MAX_POLICY_BYTES = 5 * 1024 * 1024
MAX_OPTION_POINTS = 10
EARLIEST_WEBINAR_DATE = dt.date(2020, 1, 1)


def _own_company(acting_user: Any, company: Company) -> None:
    trainer = getattr(acting_user, "trainer", None)
    if trainer is None or trainer.company_id != company.pk:
        raise PermissionDenied


# --- self-scan versions (SBB staff) ------------------------------------------------------


class OptionInput(TypedDict):
    label: str
    points: int
    advice: str


@transaction.atomic
def create_draft(*, acting_user: Any) -> ScanVersion:
    """A new draft version: a copy of the newest version, to be edited and then published."""
    if not acting_user.has_perm("equalchances.manage_scan_versions"):
        raise PermissionDenied
    # Lock the newest version so two staff members cannot both start a draft.
    newest = ScanVersion.objects.select_for_update().order_by("-number").first()
    if ScanVersion.objects.filter(status=ScanVersionStatus.DRAFT).exists():
        raise ValidationError(_("Er is al een concept. Werk dat concept bij of publiceer het."))
    number = (ScanVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ScanVersion.objects.create(
        number=number,
        title=newest.title if newest else _("Zelfscan werving en selectie"),
        intro=newest.intro if newest else "",
        created_by=acting_user,
    )
    if newest is not None:
        for question in newest.questions.prefetch_related("options"):
            copy = ScanQuestion.objects.create(
                version=draft,
                step=question.step,
                position=question.position,
                text=question.text,
                help_text=question.help_text,
            )
            ScanOption.objects.bulk_create(
                ScanOption(
                    question=copy,
                    position=option.position,
                    label=option.label,
                    points=option.points,
                    advice=option.advice,
                )
                for option in question.options.all()
            )
    record(
        actor=acting_user,
        event=AuditEvent.SELFSCAN_VERSION_DRAFTED,
        obj=draft,
        details={"number": number, "copied_from": newest.number if newest else None},
    )
    return draft


def _locked_draft(version: ScanVersion) -> ScanVersion:
    locked = ScanVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _(
                "Versie %(n)s is gepubliceerd en kan niet meer worden gewijzigd. "
                "Maak een nieuw concept."
            )
            % {"n": locked.number}
        )
    return locked


@transaction.atomic
def update_draft_intro(
    *, acting_user: Any, version: ScanVersion, title: str, intro: str
) -> ScanVersion:
    if not acting_user.has_perm("equalchances.manage_scan_versions"):
        raise PermissionDenied
    version = _locked_draft(version)
    title, intro = title.strip(), intro.strip()
    if not title or not intro:
        raise ValidationError(_("Vul een titel en een inleiding in."))
    version.title, version.intro = title, intro
    version.save(update_fields=["title", "intro"])
    record(
        actor=acting_user,
        event=AuditEvent.SELFSCAN_VERSION_EDITED,
        obj=version,
        details={"number": version.number, "field": "intro"},
    )
    return version


def _checked_options(options: Sequence[OptionInput]) -> list[OptionInput]:
    errors: list[str] = []
    cleaned: list[OptionInput] = []
    for index, option in enumerate(options, start=1):
        label, advice = option["label"].strip(), option["advice"].strip()
        points = int(option["points"])
        if not label or not advice:
            errors.append(_("Antwoord %(i)s heeft een tekst én een advies nodig.") % {"i": index})
        if not 0 <= points <= MAX_OPTION_POINTS:
            errors.append(
                _("Antwoord %(i)s: de punten liggen tussen 0 en %(m)s.")
                % {"i": index, "m": MAX_OPTION_POINTS}
            )
        cleaned.append({"label": label, "points": points, "advice": advice})
    if len(cleaned) < 2:
        errors.append(_("Een vraag heeft ten minste twee antwoorden."))
    if cleaned and max(o["points"] for o in cleaned) == 0:
        errors.append(_("Ten minste één antwoord moet punten opleveren."))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def update_question(
    *,
    acting_user: Any,
    question: ScanQuestion,
    step: str,
    text: str,
    help_text: str,
    options: Sequence[OptionInput],
) -> ScanQuestion:
    """Change a question of a draft with all its answer options (replaced as one whole)."""
    if not acting_user.has_perm("equalchances.manage_scan_versions"):
        raise PermissionDenied
    _locked_draft(question.version)
    if step not in RecruitmentStep.values:
        raise ValidationError(_("Kies een stap uit de lijst."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Vul de vraag in."))
    cleaned = _checked_options(options)
    question = ScanQuestion.objects.select_for_update().get(pk=question.pk)
    question.step, question.text, question.help_text = step, text, help_text.strip()
    question.save(update_fields=["step", "text", "help_text"])
    question.options.all().delete()
    ScanOption.objects.bulk_create(
        ScanOption(question=question, position=i, **option) for i, option in enumerate(cleaned)
    )
    record(
        actor=acting_user,
        event=AuditEvent.SELFSCAN_VERSION_EDITED,
        obj=question.version,
        details={"number": question.version.number, "question": question.position},
    )
    return question


@transaction.atomic
def publish_draft(*, acting_user: Any, version: ScanVersion) -> ScanVersion:
    """Publish a draft: it becomes the version companies fill in; the previous one is retired
    (its results keep pointing at it). From now on the version cannot change."""
    if not acting_user.has_perm("equalchances.manage_scan_versions"):
        raise PermissionDenied
    version = ScanVersion.objects.select_for_update().get(pk=version.pk)
    check_transition(version.status, ScanVersionStatus.PUBLISHED)
    questions = list(version.questions.prefetch_related("options"))
    if not questions:
        raise ValidationError(_("Een versie zonder vragen kan niet worden gepubliceerd."))
    for question in questions:
        _checked_options(
            [
                {"label": o.label, "points": o.points, "advice": o.advice}
                for o in question.options.all()
            ]
        )
    for current in ScanVersion.objects.select_for_update().filter(
        status=ScanVersionStatus.PUBLISHED
    ):
        check_transition(current.status, ScanVersionStatus.RETIRED)
        current.status = ScanVersionStatus.RETIRED
        current.save(update_fields=["status"])
    version.status = ScanVersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = acting_user
    version.save(update_fields=["status", "published_at", "published_by"])
    record(
        actor=acting_user,
        event=AuditEvent.SELFSCAN_VERSION_PUBLISHED,
        obj=version,
        details={"number": version.number, "questions": len(questions)},
    )
    return version


# --- self-scan results (company) ---------------------------------------------------------


@transaction.atomic
def submit_scan(
    *,
    acting_user: Any,
    company: Company,
    version: ScanVersion,
    answers: Mapping[int, int],
    completed_at: dt.datetime | None = None,
) -> ScanResult:
    """Store a completed self-scan of `company`: one chosen option per question of the
    published `version`, the score per step, and mark it the company's newest result.

    `answers` maps question id → option id. `completed_at` is for loading history (demo data).
    """
    if not acting_user.has_perm("equalchances.take_selfscan"):
        raise PermissionDenied
    _own_company(acting_user, company)
    # One company's results are numbered in order: lock the company while flipping is_latest.
    company = Company.objects.select_for_update().get(pk=company.pk)
    version = ScanVersion.objects.get(pk=version.pk)
    if version.status != ScanVersionStatus.PUBLISHED:
        raise ValidationError(
            _("Deze versie van de zelfscan is vervangen. Vul de nieuwe versie in.")
        )
    questions = list(version.questions.prefetch_related("options"))
    errors: list[str] = []
    chosen: dict[int, ScanOption] = {}
    for question in questions:
        options = {o.pk: o for o in question.options.all()}
        option_id = answers.get(question.pk)
        if option_id is None:
            errors.append(_("Beantwoord de vraag: %(q)s") % {"q": question.text})
        elif option_id not in options:
            errors.append(_("Kies een antwoord uit de lijst bij: %(q)s") % {"q": question.text})
        else:
            chosen[question.pk] = options[option_id]
    if set(answers) - {q.pk for q in questions}:
        errors.append(_("Er zijn antwoorden op vragen die niet in deze versie staan."))
    if errors:
        raise ValidationError(errors)
    steps = score_steps(
        (
            AnsweredQuestion(
                step=q.step,
                points=chosen[q.pk].points,
                best_points=max(o.points for o in q.options.all()),
            )
            for q in questions
        ),
        RecruitmentStep.values,
    )
    total = total_of(steps)
    ScanResult.objects.filter(company=company, is_latest=True).update(is_latest=False)
    result = ScanResult.objects.create(
        company=company,
        version=version,
        completed_at=completed_at or timezone.now(),
        completed_by=acting_user,
        score=total.score,
        maximum=total.maximum,
        is_latest=True,
    )
    ScanAnswer.objects.bulk_create(
        ScanAnswer(result=result, question=q, option=chosen[q.pk]) for q in questions
    )
    ScanStepScore.objects.bulk_create(
        ScanStepScore(
            result=result, step=s.step, score=s.score, maximum=s.maximum, level=s.level.value
        )
        for s in steps
    )
    if completed_at is not None:
        # A back-dated result (history) must not overtake a newer one as "latest".
        newest = ScanResult.objects.filter(company=company).order_by("-completed_at", "-id").first()
        if newest is not None and newest.pk != result.pk:
            ScanResult.objects.filter(pk=result.pk).update(is_latest=False)
            ScanResult.objects.filter(pk=newest.pk).update(is_latest=True)
            result.is_latest = False
    record(
        actor=acting_user,
        event=AuditEvent.SELFSCAN_COMPLETED,
        obj=result,
        details={"version": version.number, "score": total.score, "maximum": total.maximum},
    )
    return result


# --- recruitment policy ------------------------------------------------------------------


class PolicyAnswers(TypedDict):
    covers_interns: bool
    criteria_in_advance: bool
    anonymised_selection: bool
    structured_interviews: bool
    multiple_assessors: bool
    written_refusal_reasons: bool
    complaint_route: str
    responsible: str
    notes: str


def _clean_policy_document(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_POLICY_BYTES:
        raise ValidationError(_("Het bestand is groter dan 5 MB."))
    data = upload.read(MAX_POLICY_BYTES + 1)
    if len(data) > MAX_POLICY_BYTES:
        raise ValidationError(_("Het bestand is groter dan 5 MB."))
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Upload het beleid als pdf-bestand."))
    return data


@transaction.atomic
def record_policy(
    *,
    acting_user: Any,
    company: Company,
    answers: PolicyAnswers,
    document: UploadedFile | None = None,
    keep_document: bool = True,
    recorded_at: dt.datetime | None = None,
) -> RecruitmentPolicy:
    """Record the company's current equal-chances recruitment policy (a new version; earlier
    ones stay). Without a new document the previous one is kept unless `keep_document` is off.
    `recorded_at` is for loading history (demo data); it never lies in the future."""
    if not acting_user.has_perm("equalchances.record_recruitment_policy"):
        raise PermissionDenied
    _own_company(acting_user, company)
    company = Company.objects.select_for_update().get(pk=company.pk)
    complaint_route = answers["complaint_route"].strip()
    responsible = answers["responsible"].strip()
    errors: dict[str, list[str]] = {}
    if not complaint_route:
        errors["complaint_route"] = [_("Beschrijf waar een kandidaat terecht kan met een klacht.")]
    if not responsible:
        errors["responsible"] = [_("Vul in wie verantwoordelijk is voor het beleid.")]
    content: bytes | None = None
    if document is not None:
        try:
            content = _clean_policy_document(document)
        except ValidationError as error:
            errors["document"] = error.messages
    if errors:
        raise ValidationError(errors)
    previous = (
        RecruitmentPolicy.objects.filter(company=company).order_by("-recorded_at", "-id").first()
    )
    policy = RecruitmentPolicy(
        company=company,
        recorded_by=acting_user,
        covers_interns=bool(answers["covers_interns"]),
        criteria_in_advance=bool(answers["criteria_in_advance"]),
        anonymised_selection=bool(answers["anonymised_selection"]),
        structured_interviews=bool(answers["structured_interviews"]),
        multiple_assessors=bool(answers["multiple_assessors"]),
        written_refusal_reasons=bool(answers["written_refusal_reasons"]),
        complaint_route=complaint_route,
        responsible=responsible,
        notes=answers.get("notes", "").strip(),
        recorded_at=min(recorded_at or timezone.now(), timezone.now()),
    )
    if content is not None and document is not None:
        policy.document.save("beleid.pdf", ContentFile(content), save=False)
        policy.document_name = (document.name or "beleid.pdf")[-200:]
        policy.document_type = "application/pdf"
    elif keep_document and previous is not None and previous.document:
        policy.document = previous.document.name
        policy.document_name = previous.document_name
        policy.document_type = previous.document_type
    policy.save()
    record(
        actor=acting_user,
        event=AuditEvent.RECRUITMENT_POLICY_RECORDED,
        obj=policy,
        details={
            "company": company.pk,
            "measures": policy.measures_taken,
            "document": bool(policy.document),
        },
    )
    return policy


@transaction.atomic
def open_policy_document(*, acting_user: Any, policy: RecruitmentPolicy) -> Any:
    """The document of a policy, opened for reading; the access is audited. Callers scope the
    policy first (selectors.policies_visible_to)."""
    if not policy.document:
        raise ValidationError(_("Bij dit beleid is geen document geüpload."))
    record(
        actor=acting_user,
        event=AuditEvent.RECRUITMENT_POLICY_DOCUMENT_VIEWED,
        obj=policy,
        details={"company": policy.company_id},
    )
    return policy.document.open("rb")


# --- training record ---------------------------------------------------------------------


@transaction.atomic
def record_attendance(
    *, acting_user: Any, trainer: Trainer, webinar: Webinar, attended_on: dt.date
) -> WebinarAttendance:
    """A praktijkopleider followed a webinar: registered by themselves or by SBB."""
    own = getattr(acting_user, "trainer", None)
    if (
        own is not None
        and own.pk == trainer.pk
        and acting_user.has_perm("equalchances.record_own_training")
    ):
        source = TrainingSource.SELF
    elif acting_user.has_perm("equalchances.register_training"):
        source = TrainingSource.SBB
    else:
        raise PermissionDenied
    webinar = Webinar.objects.get(pk=webinar.pk)
    if not webinar.active:
        raise ValidationError({"webinar": [_("Dit webinar wordt niet meer aangeboden.")]})
    if attended_on > timezone.localdate():
        raise ValidationError({"attended_on": [_("De datum ligt in de toekomst.")]})
    if attended_on < EARLIEST_WEBINAR_DATE:
        raise ValidationError({"attended_on": [_("Vul een datum in vanaf 1 januari 2020.")]})
    trainer = Trainer.objects.select_related("user").get(pk=trainer.pk)
    try:
        with transaction.atomic():
            attendance = WebinarAttendance.objects.create(
                trainer=trainer,
                company_id=trainer.company_id,
                webinar=webinar,
                attended_on=attended_on,
                source=source,
                registered_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(
            {"webinar": [_("Deze praktijkopleider heeft dit webinar al gevolgd (al vastgelegd).")]}
        ) from None
    record(
        actor=acting_user,
        event=AuditEvent.WEBINAR_ATTENDANCE_RECORDED,
        obj=attendance,
        details={"webinar": webinar.pk, "trainer": trainer.pk, "source": source},
    )
    return attendance


@transaction.atomic
def remove_attendance(*, acting_user: Any, attendance: WebinarAttendance) -> None:
    """Remove a wrongly recorded webinar: the praktijkopleider their own, SBB any."""
    attendance = WebinarAttendance.objects.select_for_update().get(pk=attendance.pk)
    own = getattr(acting_user, "trainer", None)
    if not (
        acting_user.has_perm("equalchances.register_training")
        or (own is not None and own.pk == attendance.trainer_id)
    ):
        raise PermissionDenied
    record(
        actor=acting_user,
        event=AuditEvent.WEBINAR_ATTENDANCE_REMOVED,
        obj=attendance,
        details={"webinar": attendance.webinar_id, "trainer": attendance.trainer_id},
    )
    attendance.delete()


def _clean_webinar(
    *, title: str, description: str, source_url: str, exclude_pk: int | None
) -> tuple[str, str, str]:
    """The checks both for a new webinar and a changed one; raises ValidationError per field."""
    title, description, source_url = title.strip(), description.strip(), source_url.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Titel: vul de titel van het webinar in.")]
    elif len(title) > 200:
        errors["title"] = [_("Titel: gebruik hoogstens 200 tekens.")]
    elif (
        Webinar.objects.filter(title__iexact=title)
        .exclude(pk__in=[] if exclude_pk is None else [exclude_pk])
        .exists()
    ):
        errors["title"] = [_("Titel: er is al een webinar met deze titel.")]
    if len(description) > 2000:
        errors["description"] = [_("Omschrijving: gebruik hoogstens 2000 tekens.")]
    if not source_url:
        errors["source_url"] = [
            _("Link naar de bron: vul de link naar de pagina van het webinar in.")
        ]
    elif len(source_url) > SOURCE_URL_MAX_LENGTH:
        errors["source_url"] = [
            _("Link naar de bron: gebruik hoogstens %(n)d tekens.") % {"n": SOURCE_URL_MAX_LENGTH}
        ]
    else:
        try:
            validate_source_url(source_url)
        except ValidationError as error:
            errors["source_url"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return title, description, source_url


@transaction.atomic
def create_webinar(
    *,
    acting_user: Any,
    title: str,
    description: str,
    source_url: str,
    active: bool = True,
) -> Webinar:
    """SBB staff add a webinar to the list praktijkopleiders choose from (after the ones there)."""
    if not acting_user.has_perm("equalchances.manage_webinars"):
        raise PermissionDenied
    # One at a time, so two new webinars never share a position or a title.
    list(Webinar.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    title, description, source_url = _clean_webinar(
        title=title, description=description, source_url=source_url, exclude_pk=None
    )
    last = Webinar.objects.order_by("-position").values_list("position", flat=True).first()
    webinar = Webinar.objects.create(
        title=title,
        description=description,
        source_url=source_url,
        active=active,
        position=(last or 0) + 1,
    )
    record(
        actor=acting_user,
        event=AuditEvent.WEBINAR_CREATED,
        obj=webinar,
        details={"title": title, "source_url": source_url, "active": active},
    )
    return webinar


@transaction.atomic
def update_webinar(
    *,
    acting_user: Any,
    webinar: Webinar,
    title: str,
    description: str,
    source_url: str,
    active: bool,
) -> Webinar:
    """SBB staff keep a webinar up to date: title, description, the link to its own page (the
    source shown with every attendance) and whether it is still offered. The audit row keeps
    the old and new link, so a changed source can be traced."""
    if not acting_user.has_perm("equalchances.manage_webinars"):
        raise PermissionDenied
    locked = Webinar.objects.select_for_update().get(pk=webinar.pk)
    title, description, source_url = _clean_webinar(
        title=title, description=description, source_url=source_url, exclude_pk=locked.pk
    )
    before = {"title": locked.title, "source_url": locked.source_url, "active": locked.active}
    locked.title, locked.description = title, description
    locked.source_url, locked.active = source_url, active
    locked.save(update_fields=["title", "description", "source_url", "active"])
    after = {"title": title, "source_url": source_url, "active": active}
    record(
        actor=acting_user,
        event=AuditEvent.WEBINAR_CHANGED,
        obj=locked,
        details={
            k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]
        },
    )
    return locked
