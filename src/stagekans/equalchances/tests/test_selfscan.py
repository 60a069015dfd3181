"""The self-scan: advice per answer, score per step, versions (published = frozen; results keep
their version), one newest result per company, and who may fill it in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.equalchances import scan_content, selectors, services
from stagekans.equalchances.forms import question_field_name
from stagekans.equalchances.models import RecruitmentStep, ScanResult, ScanVersion
from stagekans.equalchances.workflow import (
    ALLOWED_VERSION_CHANGES,
    ScanVersionStatus,
    TransitionNotAllowed,
    check_transition,
)
from stagekans.testing import factories as f
from stagekans.testing.equalchances import answers_for, fill_scan


@pytest.fixture
def trainer(db):
    return f.trainer_user(f.CompanyFactory(name="Bakkerij De Korrel"))


@pytest.fixture
def advisor(db):
    return f.UserFactory(role=Role.SBB_ADVISOR)


def test_version_1_is_published_with_real_content(db):
    version = selectors.current_version()
    assert version is not None and version.number == 1
    questions = selectors.questions_of(version)
    assert len(questions) == len(scan_content.QUESTIONS)
    # Every recruitment step of the issue is asked, each answer has its own advice.
    assert {q.step for q in questions} == set(RecruitmentStep.values)
    for question in questions:
        options = list(question.options.all())
        assert len(options) >= 2
        assert len({o.advice for o in options}) == len(options)
        assert max(o.points for o in options) > 0


@pytest.mark.parametrize("position", [0, 1, 2])
def test_advice_per_answer_on_the_result_page(trainer, position):
    version = selectors.current_version()
    client = Client()
    client.force_login(trainer)
    questions = selectors.questions_of(version)
    data = {question_field_name(q): str(list(q.options.all())[position].pk) for q in questions}
    response = client.post("/gelijke-kansen/zelfscan/invullen/", data)
    assert response.status_code == 302
    result = ScanResult.objects.get(company=trainer.trainer.company)
    page = client.get(response["Location"]).content.decode()
    for question in questions:
        chosen = list(question.options.all())[position]
        others = [o for o in question.options.all() if o.pk != chosen.pk]
        assert chosen.advice.replace("'", "&#x27;") in page
        for other in others:
            assert other.advice.replace("'", "&#x27;") not in page
    # Score per step: the chosen points of every question of that step.
    for step in result.step_scores.all():
        mine = [q for q in questions if q.step == step.step]
        assert step.score == sum(list(q.options.all())[position].points for q in mine)
        assert step.maximum == sum(max(o.points for o in q.options.all()) for q in mine)
    assert result.score == sum(list(q.options.all())[position].points for q in questions)
    assert AuditLog.objects.filter(
        event_type=AuditEvent.SELFSCAN_COMPLETED, object_id=str(result.pk)
    ).exists()


def test_levels_follow_the_answers(trainer):
    best = fill_scan(user=trainer, pick=2)
    worst = fill_scan(user=trainer, pick=0)
    assert {s.level for s in best.step_scores.all()} == {"in_order"}
    assert {s.level for s in worst.step_scores.all()} == {"attention"}
    assert best.percentage == 100 and worst.percentage == 0


def test_missing_answer_is_refused_and_nothing_is_written(trainer):
    version = selectors.current_version()
    answers = answers_for(version)
    answers.pop(next(iter(answers)))
    with pytest.raises(ValidationError):
        services.submit_scan(
            acting_user=trainer, company=trainer.trainer.company, version=version, answers=answers
        )
    assert not ScanResult.objects.exists()
    client = Client()
    client.force_login(trainer)
    response = client.post("/gelijke-kansen/zelfscan/invullen/", {})
    assert response.status_code == 400
    assert "Kies een antwoord bij" in response.content.decode()
    assert not ScanResult.objects.exists()


def test_option_of_another_question_is_refused(trainer):
    version = selectors.current_version()
    answers = answers_for(version)
    first, second = list(answers)[:2]
    answers[first] = answers[second]
    with pytest.raises(ValidationError):
        services.submit_scan(
            acting_user=trainer, company=trainer.trainer.company, version=version, answers=answers
        )


def test_a_trainer_scans_only_their_own_company(trainer, db):
    other = f.CompanyFactory()
    version = selectors.current_version()
    with pytest.raises(PermissionDenied):
        services.submit_scan(
            acting_user=trainer, company=other, version=version, answers=answers_for(version)
        )


def test_repeatable_with_one_latest_and_progress_over_time(trainer):
    now = timezone.now()
    first = fill_scan(user=trainer, pick=0, completed_at=now - dt.timedelta(days=200))
    second = fill_scan(user=trainer, pick=1, completed_at=now - dt.timedelta(days=100))
    third = fill_scan(user=trainer, pick=2)
    latest = ScanResult.objects.filter(company=trainer.trainer.company, is_latest=True)
    assert list(latest) == [third]
    progress = selectors.progress_of(trainer.trainer.company)
    assert [p.result for p in progress] == [first, second, third]
    assert [p.value for p in progress] == [0, 50, 100]
    # A back-dated result never overtakes the newest one.
    fill_scan(user=trainer, pick=0, completed_at=now - dt.timedelta(days=300))
    assert ScanResult.objects.get(company=trainer.trainer.company, is_latest=True) == third
    client = Client()
    client.force_login(trainer)
    page = client.get("/gelijke-kansen/zelfscan/").content.decode()
    assert "Totaalscore per keer dat u de zelfscan invulde" in page


# --- versions ------------------------------------------------------------------------------


def test_transition_table():
    allowed = [(a, b) for a, targets in ALLOWED_VERSION_CHANGES.items() for b in targets]
    assert allowed == [
        (ScanVersionStatus.DRAFT, ScanVersionStatus.PUBLISHED),
        (ScanVersionStatus.PUBLISHED, ScanVersionStatus.RETIRED),
    ]
    for a in ScanVersionStatus.values:
        for b in ScanVersionStatus.values:
            if (a, b) in allowed:
                check_transition(a, b)
            else:
                with pytest.raises(TransitionNotAllowed):
                    check_transition(a, b)


def _edit_first_question(advisor, version, advice="Nieuw advies in versie 2."):
    question = selectors.questions_of(version)[0]
    options = [
        {"label": o.label, "points": o.points, "advice": o.advice} for o in question.options.all()
    ]
    options[0]["advice"] = advice
    return services.update_question(
        acting_user=advisor,
        question=question,
        step=question.step,
        text=question.text + " (herzien)",
        help_text=question.help_text,
        options=options,
    )


def test_old_results_keep_their_version(trainer, advisor):
    v1 = selectors.current_version()
    old = fill_scan(user=trainer, pick=0)
    old_advice = selectors.result_report(old)[0].answers[0].option.advice
    draft = services.create_draft(acting_user=advisor)
    assert draft.number == 2 and draft.status == ScanVersionStatus.DRAFT
    assert draft.questions.count() == v1.questions.count()
    _edit_first_question(advisor, draft)
    services.publish_draft(acting_user=advisor, version=draft)
    v1.refresh_from_db()
    assert v1.status == ScanVersionStatus.RETIRED
    assert selectors.current_version() == draft
    # The old result still shows version 1's question and advice.
    old.refresh_from_db()
    assert old.version == v1
    report = selectors.result_report(old)
    assert report[0].answers[0].option.advice == old_advice
    assert "(herzien)" not in report[0].answers[0].question.text
    new = fill_scan(user=trainer, pick=0)
    assert new.version == draft
    assert selectors.result_report(new)[0].answers[0].option.advice == "Nieuw advies in versie 2."
    # A retired version can no longer be filled in.
    with pytest.raises(ValidationError):
        fill_scan(user=trainer, version=v1)


def test_a_published_version_is_immutable(advisor):
    v1 = selectors.current_version()
    with pytest.raises(ValidationError):
        _edit_first_question(advisor, v1)
    with pytest.raises(ValidationError):
        services.update_draft_intro(acting_user=advisor, version=v1, title="x", intro="y")
    with pytest.raises(TransitionNotAllowed):
        services.publish_draft(acting_user=advisor, version=v1)
    client = Client()
    client.force_login(advisor)
    question = selectors.questions_of(v1)[0]
    before = question.text
    response = client.post(f"/gelijke-kansen/zelfscan/vragen/{question.pk}/", {"text": "nee"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == before


def test_one_draft_at_a_time_and_only_sbb_writes_versions(advisor, trainer):
    services.create_draft(acting_user=advisor)
    with pytest.raises(ValidationError):
        services.create_draft(acting_user=advisor)
    with pytest.raises(PermissionDenied):
        services.create_draft(acting_user=trainer)


def test_draft_edit_rejects_bad_options_and_changes_nothing(advisor):
    draft = services.create_draft(acting_user=advisor)
    question = selectors.questions_of(draft)[0]
    before = [(o.label, o.points, o.advice) for o in question.options.all()]
    with pytest.raises(ValidationError):
        services.update_question(
            acting_user=advisor,
            question=question,
            step=question.step,
            text="Vraag",
            help_text="",
            options=[
                {"label": "Ja", "points": 0, "advice": "A"},
                {"label": "", "points": 0, "advice": ""},
            ],
        )
    question.refresh_from_db()
    assert [(o.label, o.points, o.advice) for o in question.options.all()] == before


def test_version_pages_edit_and_publish(advisor):
    client = Client()
    client.force_login(advisor)
    response = client.post("/gelijke-kansen/zelfscan/versies/nieuw/")
    draft = ScanVersion.objects.get(status=ScanVersionStatus.DRAFT)
    assert response["Location"] == f"/gelijke-kansen/zelfscan/versies/{draft.pk}/"
    question = selectors.questions_of(draft)[0]
    data = {"step": question.step, "text": "Waar zet u uw vacatures?", "help_text": ""}
    for i, option in enumerate(question.options.all(), start=1):
        data |= {
            f"label_{i}": option.label,
            f"points_{i}": str(option.points),
            f"advice_{i}": "Advies",
        }
    data["points_1"] = "99"
    response = client.post(f"/gelijke-kansen/zelfscan/vragen/{question.pk}/", data)
    assert response.status_code == 400
    data["points_1"] = "0"
    response = client.post(f"/gelijke-kansen/zelfscan/vragen/{question.pk}/", data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Waar zet u uw vacatures?"
    client.post(f"/gelijke-kansen/zelfscan/versies/{draft.pk}/publiceren/")
    draft.refresh_from_db()
    assert draft.status == ScanVersionStatus.PUBLISHED
    assert AuditLog.objects.filter(event_type=AuditEvent.SELFSCAN_VERSION_PUBLISHED).exists()
