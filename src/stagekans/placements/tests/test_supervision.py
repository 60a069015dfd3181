"""Contact moments, requests for contact, the begeleider and the end-of-internship evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stagekans.notifications.models import OutboxMessage
from stagekans.placements.due import next_contact_due
from stagekans.placements.models import ContactRequest, Evaluation
from stagekans.placements.schoolholidays import Region
from stagekans.placements.services import supervision as svc
from stagekans.placements.workflow import ContactKind
from stagekans.testing import factories as f
from stagekans.testing import placements as tp

pytestmark = pytest.mark.django_db


def test_due_date_follows_the_pok_then_each_contact() -> None:
    w = tp.world()
    tp.signed_pok(w)
    assert w.placement.next_contact_due == next_contact_due(
        last_contact=tp.START, every_weeks=4, region=Region.MIDDEN, end_date=tp.END
    )
    held = dt.date(2026, 11, 27)
    svc.log_contact(
        acting_user=w.staff_user,
        placement=w.placement,
        held_on=held,
        kind=ContactKind.ON_SITE,
        with_student=True,
        with_trainer=True,
        notes="Goed gesprek over de voortgang.",
    )
    w.placement.refresh_from_db()
    assert (w.placement.min_site_visits, w.placement.site_visits_done) == (2, 1)
    # 4 school weeks after Friday 27 Nov 2026: three weeks, the kerstvakantie (19 Dec - 3
    # Jan), then the week of 4 January.
    assert w.placement.next_contact_due == dt.date(2027, 1, 8)


def test_only_school_staff_of_the_school_log_contacts_and_bad_input_writes_nothing() -> None:
    w = tp.world()
    tp.signed_pok(w)
    for outsider in (w.student_user, w.trainer_user, f.school_staff_user(f.SchoolFactory())):
        with pytest.raises(PermissionDenied):
            svc.log_contact(
                acting_user=outsider,
                placement=w.placement,
                held_on=dt.date(2026, 10, 1),
                kind=ContactKind.PHONE,
                with_student=True,
                with_trainer=False,
            )
    with pytest.raises(ValidationError) as error:
        svc.log_contact(
            acting_user=w.staff_user,
            placement=w.placement,
            held_on=timezone.localdate() + dt.timedelta(days=3),
            kind=ContactKind.PHONE,
            with_student=False,
            with_trainer=False,
        )
    assert {"held_on", "with_student"} <= set(error.value.error_dict)
    assert not w.placement.contacts.exists()


def test_student_and_trainer_ask_for_contact_answered_by_the_next_contact() -> None:
    w = tp.world()
    tp.signed_pok(w)
    svc.request_contact(acting_user=w.student_user, placement=w.placement, message="Vraag")
    svc.request_contact(acting_user=w.trainer_user, placement=w.placement, message="Zorgen")
    assert (
        OutboxMessage.objects.filter(to=w.staff_user.email, subject__contains="Verzoek").count()
        == 2
    )
    with pytest.raises(PermissionDenied):
        svc.request_contact(acting_user=w.staff_user, placement=w.placement, message="x")
    with pytest.raises(ValidationError):
        svc.request_contact(acting_user=w.student_user, placement=w.placement, message=" ")
    contact = svc.log_contact(
        acting_user=w.staff_user,
        placement=w.placement,
        held_on=dt.date(2026, 11, 2),
        kind=ContactKind.ONLINE,
        with_student=True,
        with_trainer=True,
    )
    assert set(ContactRequest.objects.values_list("answered_by_contact", flat=True)) == {contact.pk}


def test_change_of_supervisor_only_to_staff_of_the_school() -> None:
    w = tp.world()
    colleague_user = f.school_staff_user(w.school)
    svc.set_supervisor(
        acting_user=w.staff_user, placement=w.placement, supervisor=colleague_user.school_staff
    )
    w.placement.refresh_from_db()
    assert w.placement.supervisor_id == colleague_user.school_staff.pk
    outsider = f.school_staff_user(f.SchoolFactory())
    with pytest.raises(ValidationError):
        svc.set_supervisor(
            acting_user=w.staff_user, placement=w.placement, supervisor=outsider.school_staff
        )


def test_evaluation_once_per_party_near_the_end() -> None:
    today = timezone.localdate()
    w = tp.world(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=5))
    tp.signed_pok(w)
    for user in (w.student_user, w.trainer_user, w.staff_user):
        svc.submit_evaluation(
            acting_user=user,
            placement=w.placement,
            learning=4,
            supervision=5,
            school_contact=3,
            would_recommend=True,
        )
    assert Evaluation.objects.filter(placement=w.placement).count() == 3
    with pytest.raises(ValidationError, match="al geëvalueerd"):
        svc.submit_evaluation(
            acting_user=w.student_user,
            placement=w.placement,
            learning=4,
            supervision=5,
            school_contact=3,
            would_recommend=True,
        )
    with pytest.raises(ValidationError):
        svc.submit_evaluation(
            acting_user=w.student_user,
            placement=w.placement,
            learning=9,
            supervision=5,
            school_contact=3,
            would_recommend=True,
        )


def test_evaluation_not_before_the_last_two_weeks() -> None:
    w = tp.world()  # ends 25 June 2027
    tp.signed_pok(w)
    with pytest.raises(ValidationError, match="twee weken"):
        svc.submit_evaluation(
            acting_user=w.student_user,
            placement=w.placement,
            learning=4,
            supervision=5,
            school_contact=3,
            would_recommend=True,
        )
