"""Marking a year niet-bindend and giving advice: the binding-negative refusal, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.studyadvice import rules, selectors, services
from stagekans.studyadvice.models import AdviceKind, StudyAdvice
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADVICE_DAY = dt.date(2026, 6, 15)  # school year 2025-2026


@pytest.fixture
def school_setup():
    school = f.SchoolFactory()
    staff = f.school_staff_user(school)
    student = f.StudentFactory(programme=f.ProgrammeFactory(school=school))
    return school, staff, student


def _negative_binding(staff, student):
    return services.give_advice(
        acting_user=staff,
        student=student,
        kind=AdviceKind.NEGATIVE,
        binding=True,
        advice_date=ADVICE_DAY,
        reasoning="Te weinig studiepunten behaald.",
    )


def test_binding_negative_in_a_marked_year_is_refused_audited_and_postponement_proposed(
    school_setup,
) -> None:
    school, staff, student = school_setup
    services.mark_school_year(
        acting_user=staff,
        school=school,
        school_year=2025,
        reason="Langdurige sluiting.",
        document=PDF,
    )
    with pytest.raises(services.BindingAdviceRefused) as refusal:
        _negative_binding(staff, student)
    message = refusal.value.messages[0]
    assert "kan niet in schooljaar 2025-2026" in message and "uitgesteld" in message
    proposal = refusal.value.proposal
    assert proposal["kind"] == AdviceKind.POSTPONED
    assert rules.school_year_of(proposal["next_moment"]) == 2026
    assert not StudyAdvice.objects.exists()
    audit = AuditLog.objects.get(event_type=AuditEvent.STUDY_ADVICE_REFUSED.value)
    assert audit.actor == staff and audit.object_id == str(student.pk)
    # The proposal is accepted as given.
    advice = services.give_advice(
        acting_user=staff,
        student=student,
        kind=proposal["kind"],
        binding=False,
        advice_date=ADVICE_DAY,
        reasoning="Uitgesteld: niet-bindend jaar.",
        next_moment=proposal["next_moment"],
    )
    assert advice.in_marked_year and advice.kind == AdviceKind.POSTPONED


def test_a_platform_mark_holds_for_every_school(school_setup) -> None:
    _school, staff, student = school_setup
    admin = f.UserFactory(role=Role.ADMIN)
    services.mark_school_year(
        acting_user=admin,
        school=None,
        school_year=2025,
        reason="Coronamaatregelen.",
        document_reference="Kamerbrief 31 524, nr. 495",
    )
    with pytest.raises(services.BindingAdviceRefused):
        _negative_binding(staff, student)


def test_outside_a_marked_year_binding_negative_is_possible(school_setup) -> None:
    school, staff, student = school_setup
    services.mark_school_year(
        acting_user=staff,
        school=school,
        school_year=2024,
        reason="Ander jaar.",
        document_reference="CvB 2024/3",
    )
    advice = _negative_binding(staff, student)
    assert advice.binding and not advice.in_marked_year


def test_other_advice_in_a_marked_year_is_fine(school_setup) -> None:
    school, staff, student = school_setup
    services.mark_school_year(
        acting_user=staff,
        school=school,
        school_year=2025,
        reason="Sluiting.",
        document_reference="CvB",
    )
    for kind, binding in ((AdviceKind.POSITIVE, True), (AdviceKind.NEGATIVE, False)):
        advice = services.give_advice(
            acting_user=staff,
            student=student,
            kind=kind,
            binding=binding,
            advice_date=ADVICE_DAY,
            reasoning="Onderbouwing.",
        )
        assert advice.binding is False  # only a negative advice can be binding


def test_the_database_refuses_binding_in_a_marked_year_too(school_setup) -> None:
    school, _staff, student = school_setup
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyAdvice.objects.create(
            student=student,
            school=school,
            school_year=2025,
            kind=AdviceKind.NEGATIVE,
            binding=True,
            advice_date=ADVICE_DAY,
            reasoning="x",
            in_marked_year=True,
        )


def test_postponed_needs_a_next_moment_and_reasoning(school_setup) -> None:
    _school, staff, student = school_setup
    with pytest.raises(ValidationError) as error:
        services.give_advice(
            acting_user=staff,
            student=student,
            kind=AdviceKind.POSTPONED,
            binding=False,
            advice_date=ADVICE_DAY,
            reasoning=" ",
        )
    assert {"next_moment", "reasoning"} <= set(error.value.message_dict)


def test_only_the_own_school_gives_advice(school_setup) -> None:
    _school, _staff, student = school_setup
    other = f.school_staff_user(f.SchoolFactory())
    with pytest.raises(PermissionDenied):
        services.give_advice(
            acting_user=other,
            student=student,
            kind=AdviceKind.POSITIVE,
            binding=False,
            advice_date=ADVICE_DAY,
            reasoning="x",
        )


def test_marking_needs_a_reason_and_a_pdf_or_reference(school_setup) -> None:
    school, staff, _student = school_setup
    with pytest.raises(ValidationError) as error:
        services.mark_school_year(acting_user=staff, school=school, school_year=2025, reason="")
    assert {"reason", "document"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError, match="pdf"):
        services.mark_school_year(
            acting_user=staff, school=school, school_year=2025, reason="x", document=b"GIF89a...."
        )
    with pytest.raises(PermissionDenied):  # a school cannot mark for every school
        services.mark_school_year(
            acting_user=staff, school=None, school_year=2025, reason="x", document_reference="y"
        )
    services.mark_school_year(
        acting_user=staff, school=school, school_year=2025, reason="x", document_reference="y"
    )
    with pytest.raises(ValidationError, match="al gemarkeerd"):
        services.mark_school_year(
            acting_user=staff, school=school, school_year=2025, reason="x", document_reference="y"
        )


def test_the_report_counts_advice_in_marked_years_per_school(school_setup) -> None:
    school, staff, student = school_setup
    services.mark_school_year(
        acting_user=staff,
        school=school,
        school_year=2025,
        reason="Sluiting.",
        document_reference="CvB",
    )
    services.give_advice(
        acting_user=staff,
        student=student,
        kind=AdviceKind.POSITIVE,
        binding=False,
        advice_date=ADVICE_DAY,
        reasoning="Goed.",
    )
    services.give_advice(
        acting_user=staff,
        student=student,
        kind=AdviceKind.POSITIVE,
        binding=False,
        advice_date=dt.date(2025, 6, 1),
        reasoning="Vorig jaar.",
    )
    rows = selectors.report(staff)
    assert [(r.school_year, r.positive, r.total) for r in rows] == [("2025-2026", 1, 1)]
    analyst = f.UserFactory(role=Role.ANALYST)
    assert len(selectors.report(analyst)) == 1
    assert selectors.report(f.UserFactory(role=Role.STUDENT)) == []
