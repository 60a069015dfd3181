"""Issue 9, story 2: the school enrols a student with an e-mail address → an invitation mail
(in the notifications outbox) with a single-use, expiring link → the student chooses a
password and lands, logged in, in their own portal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from stagekans.accounts.roles import Role, role_for_group
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.education import services
from stagekans.education.models import Student, StudentInvitation
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Zomerstage-2026!"


def _enrol_with_email(email: str = "noor@student.example.nl") -> tuple[Student, Client]:
    programme = f.ProgrammeFactory()
    school = programme.school
    client = Client()
    client.force_login(f.school_staff_user(school))
    response = client.post(
        reverse("education:student_create", kwargs={"pk": school.pk}),
        {
            "given_name": "Noor",
            "family_name": "El Amrani",
            "student_number": "700001",
            "programme": programme.pk,
            "cohort": 2026,
            "date_of_birth": "2008-03-14",
            "postcode": "3511 AB",
            "place": "Utrecht",
            "email": email,
        },
        follow=True,
    )
    assert "De uitnodiging om een account aan te maken is verstuurd" in response.content.decode()
    return Student.objects.get(student_number="700001"), client


def _link_path() -> str:
    mail = OutboxMessage.objects.get(subject="Je uitnodiging voor Stagekans")
    match = re.search(r"https?://[^/\s]+(/uitnodiging/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_enrolment_with_email_sends_one_invitation_with_a_link():
    student, _staff = _enrol_with_email()
    mail = OutboxMessage.objects.get(subject="Je uitnodiging voor Stagekans")
    assert mail.to == "noor@student.example.nl"
    assert "Beste Noor" in mail.body and "één keer" in mail.body
    invitation = StudentInvitation.objects.get(student=student)
    token = _link_path().split("/")[2]
    # Only the hash is stored.
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert AuditLog.objects.filter(
        event_type=AuditEvent.STUDENT_INVITED, object_id=str(student.pk)
    ).exists()


def test_enrolment_without_email_sends_nothing():
    programme = f.ProgrammeFactory()
    services.enrol_student(
        acting_user=None,
        school=programme.school,
        programme=programme,
        student_number="1",
        given_name="A",
        family_name="B",
        cohort=2026,
        date_of_birth=dt.date(2008, 1, 1),
        postcode="3511 AB",
        place="Utrecht",
    )
    assert not StudentInvitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_student_sets_password_and_lands_in_portal_then_link_is_used_up():
    student, _staff = _enrol_with_email()
    path = _link_path()
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "noor@student.example.nl" in page.content.decode()
    # Two different passwords: refused, nothing written.
    bad = client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert bad.status_code == 400
    assert "de twee wachtwoorden verschillen" in bad.content.decode()
    # Too weak for the validators: refused with a Dutch message, nothing written.
    weak = client.post(path, {"password1": "kort", "password2": "kort"})
    assert weak.status_code == 400
    student.refresh_from_db()
    assert student.user is None
    done = client.post(path, {"password1": PASSWORD, "password2": PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("portal:home")
    student.refresh_from_db()
    user = student.user
    assert user is not None and user.email == "noor@student.example.nl"
    assert role_for_group(user.groups.get().name) == Role.STUDENT
    assert done.context["user"] == user  # logged in
    assert "Welkom, Noor" in done.content.decode()
    assert client.get(reverse("education:my_profile")).status_code == 200
    assert AuditLog.objects.filter(
        event_type=AuditEvent.STUDENT_INVITATION_ACCEPTED, object_id=str(student.pk), actor=user
    ).exists()
    # Single use: the same link again is refused and changes nothing.
    again = Client().post(
        path, {"password1": "Ander-wachtwoord-99", "password2": "Ander-wachtwoord-99"}
    )
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # And the student logs in with the password chosen.
    request = RequestFactory().post("/account/inloggen/")
    assert authenticate(request, username="noor@student.example.nl", password=PASSWORD) == user


def test_expired_link_is_refused():
    student, _staff = _enrol_with_email()
    path = _link_path()
    StudentInvitation.objects.filter(student=student).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = Client().get(path)
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    post = Client().post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert post.status_code == 410
    student.refresh_from_db()
    assert student.user is None


def test_wrong_token_is_refused():
    student, _staff = _enrol_with_email()
    path = _link_path()
    wrong = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = Client().post(wrong, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert "niet geldig" in response.content.decode()
    assert Client().get("/uitnodiging/zomaar-iets/").status_code == 410
    student.refresh_from_db()
    assert student.user is None


def test_a_new_invitation_replaces_the_old_one():
    student, _staff = _enrol_with_email()
    old_path = _link_path()
    new_token = services.invite_student(
        acting_user=None, student=student, email="noor.elamrani@student.example.nl"
    )
    old = Client().get(old_path)
    assert old.status_code == 410 and "vervangen" in old.content.decode()
    assert Client().get(f"/uitnodiging/{new_token}/").status_code == 200


def test_invitation_refused_for_an_email_with_an_account_or_a_bad_address():
    f.UserFactory(role=Role.STUDENT, email="bezet@example.nl")
    student = f.StudentFactory()
    for email, message in (
        ("bezet@example.nl", "bestaat al"),
        ("geen-adres", "geldig e-mailadres"),
    ):
        with pytest.raises(Exception) as error:
            services.invite_student(acting_user=None, student=student, email=email)
        assert message in str(error.value)
    assert not StudentInvitation.objects.exists()


def test_school_sends_a_new_invitation_from_the_student_page():
    student, staff = _enrol_with_email()
    page = staff.get(reverse("education:student_detail", kwargs={"pk": student.pk}))
    assert "Uitnodiging verstuurd naar noor@student.example.nl" in page.content.decode()
    url = reverse("education:student_invite", kwargs={"pk": student.pk})
    bad = staff.post(url, {"email": "geen-adres"})
    assert bad.status_code == 400
    assert StudentInvitation.objects.filter(student=student).count() == 1
    done = staff.post(url, {"email": "noor.nieuw@student.example.nl"})
    assert done.status_code == 302
    latest = StudentInvitation.objects.filter(student=student).order_by("-id").first()
    assert latest.email == "noor.nieuw@student.example.nl" and latest.revoked_at is None
    assert StudentInvitation.objects.filter(student=student, revoked_at__isnull=False).count() == 1
    assert OutboxMessage.objects.filter(to="noor.nieuw@student.example.nl").exists()


@pytest.mark.parametrize(
    "who, status",
    [("anon", 302), ("student", 403), ("other_staff", 404), ("trainer", 403), ("admin", 403)],
)
def test_only_the_students_own_school_invites(who, status):
    student = f.StudentFactory()
    user = {
        "anon": None,
        "student": f.student_user(f.StudentFactory()),
        "other_staff": f.school_staff_user(f.SchoolFactory()),
        "trainer": f.trainer_user(f.CompanyFactory()),
        "admin": f.UserFactory(role=Role.ADMIN),
    }[who]
    client = Client()
    if user is not None:
        client.force_login(user)
    url = reverse("education:student_invite", kwargs={"pk": student.pk})
    assert client.post(url, {"email": "x@example.nl"}).status_code == status
    assert not StudentInvitation.objects.exists()
