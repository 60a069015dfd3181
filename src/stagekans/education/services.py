"""Writes for schools, qualifications, programmes, staff and students."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.identifiers import normalise_brin, normalise_postcode
from stagekans.education.models import (
    Leerweg,
    Programme,
    Qualification,
    School,
    SchoolStaff,
    Student,
    StudentInvitation,
)
from stagekans.geo.places import find_place
from stagekans.geo.services import locate
from stagekans.notifications.services import enqueue_mail


@transaction.atomic
def create_qualification(
    *, acting_user: Any, crebo: str, title: str, niveau: int, sector: str
) -> Qualification:
    qualification = Qualification(
        crebo=str(crebo).strip(), title=title.strip(), niveau=niveau, sector=sector
    )
    qualification.full_clean()
    qualification.save()
    record(
        actor=acting_user,
        event=AuditEvent.QUALIFICATION_CREATED,
        obj=qualification,
        details={"crebo": qualification.crebo},
    )
    return qualification


@transaction.atomic
def create_school(*, acting_user: Any, name: str, brin: str, place: str) -> School:
    found = find_place(place)
    if found is None:
        raise ValidationError({"place": _("Plaats '%(place)s' is niet bekend.") % {"place": place}})
    school = School(
        name=name.strip(), brin=normalise_brin(brin), place=found.name, province=found.province
    )
    school.full_clean()
    school.save()
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_CREATED,
        obj=school,
        details={"brin": school.brin},
    )
    return school


@transaction.atomic
def create_programme(
    *, acting_user: Any, school: School, qualification: Qualification, leerweg: str
) -> Programme:
    programme = Programme(school=school, qualification=qualification, leerweg=Leerweg(leerweg))
    programme.full_clean()
    programme.save()
    record(
        actor=acting_user,
        event=AuditEvent.PROGRAMME_CREATED,
        obj=programme,
        details={"school": school.pk, "crebo": qualification.crebo, "leerweg": leerweg},
    )
    return programme


@transaction.atomic
def add_school_staff(
    *, acting_user: Any, school: School, user: Any, function: str = "stagecoördinator"
) -> SchoolStaff:
    staff = SchoolStaff.objects.create(user=user, school=school, function=function)
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_STAFF_ADDED,
        obj=school,
        details={"user": user.pk, "function": function},
    )
    return staff


@transaction.atomic
def enrol_student(
    *,
    acting_user: Any,
    school: School,
    programme: Programme,
    student_number: str,
    given_name: str,
    family_name: str,
    cohort: int,
    date_of_birth: dt.date,
    postcode: str,
    place: str,
    user: Any = None,
    email: str = "",
) -> Student:
    """Enrol a student in a programme of their school; home coordinates from postcode/place.

    With an e-mail address the student gets an invitation to create their login
    (invite_student), in the same transaction."""
    if programme.school_id != school.pk:
        raise ValidationError({"programme": _("Deze opleiding hoort niet bij deze school.")})
    if date_of_birth > dt.date.today():
        raise ValidationError({"date_of_birth": _("De geboortedatum ligt in de toekomst.")})
    student = Student(
        user=user,
        school=school,
        programme=programme,
        student_number=student_number.strip(),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        cohort=cohort,
        date_of_birth=date_of_birth,
        postcode=normalise_postcode(postcode),
        latitude=0.0,
        longitude=0.0,
    )
    student.full_clean(exclude=["latitude", "longitude"])
    located = locate(postcode=student.postcode, place=place)
    student.latitude, student.longitude = located.latitude, located.longitude
    student.save()
    record(
        actor=acting_user,
        event=AuditEvent.STUDENT_CREATED,
        obj=student,
        details={"school": school.pk, "programme": programme.pk, "cohort": cohort},
    )
    if email and email.strip():
        invite_student(acting_user=acting_user, student=student, email=email)
    return student


# --- invitation: the student creates their own login --------------------------------------------

INVITATION_VALID_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("E-mailadres: vul een geldig e-mailadres in, bv. naam@voorbeeld.nl.")}
        ) from None
    from stagekans.accounts.models import User

    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(
            {"email": _("E-mailadres: er bestaat al een account met dit e-mailadres.")}
        )
    return email


def _invitation_mail_body(student: Student, link: str, expires_at: dt.datetime) -> str:
    return _(
        "Beste %(name)s,\n\n"
        "%(school)s heeft je ingeschreven in Stagekans, waar je voorlichting over "
        "stagediscriminatie leest, stages zoekt en een melding kunt doen.\n\n"
        "Maak je account aan met deze link (je kiest zelf een wachtwoord):\n%(link)s\n\n"
        "De link werkt één keer en is geldig tot en met %(expires)s. Werkt hij niet meer, vraag "
        "dan je stagecoördinator om een nieuwe uitnodiging.\n\nMet vriendelijke groet,\n"
        "Stagekans\n"
    ) % {
        "name": student.given_name,
        "school": student.school.name,
        "link": link,
        "expires": date_format(timezone.localtime(expires_at), "j F Y H:i"),
    }


@transaction.atomic
def invite_student(*, acting_user: Any, student: Student, email: str) -> str:
    """Send the student an invitation (through the outbox) to create their login.

    Returns the token (only in the mail; the database keeps its hash). An earlier open
    invitation of the student stops working. Refused when the student already has a login.
    """
    student = Student.objects.select_for_update().select_related("school").get(pk=student.pk)
    if student.user_id is not None:
        raise ValidationError(_("Deze student heeft al een account."))
    email = _clean_email(email)
    now = timezone.now()
    StudentInvitation.objects.filter(
        student=student, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = StudentInvitation.objects.create(
        student=student,
        email=email,
        token_hash=_token_hash(token),
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    link = settings.SITE_URL + reverse("education:invitation", kwargs={"token": token})
    enqueue_mail(
        to=email,
        subject=_("Je uitnodiging voor Stagekans"),
        body=_invitation_mail_body(student, link, invitation.expires_at),
        dedup_key=f"student-invitation:{invitation.pk}",
    )
    record(
        actor=acting_user,
        event=AuditEvent.STUDENT_INVITED,
        obj=student,
        details={"invitation": invitation.pk, "expires_at": invitation.expires_at.isoformat()},
    )
    return token


class InvitationInvalid(Exception):
    """The link does not work (unknown, used, replaced or expired); the message is Dutch."""


def open_invitation(token: str, *, for_update: bool = False) -> StudentInvitation:
    """The invitation behind a token, or InvitationInvalid saying why in Dutch."""
    qs = StudentInvitation.objects.select_related("student", "student__school")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(token_hash=_token_hash(token or "")).first()
    if invitation is None:
        raise InvitationInvalid(
            _("Deze uitnodigingslink is niet geldig. Controleer of je de hele link gebruikt.")
        )
    if invitation.used_at is not None or invitation.student.user_id is not None:
        raise InvitationInvalid(
            _("Deze uitnodiging is al gebruikt. Log in met je e-mailadres en wachtwoord.")
        )
    if invitation.revoked_at is not None:
        raise InvitationInvalid(
            _(
                "Deze uitnodiging is vervangen door een nieuwere; gebruik de link uit de "
                "laatste mail."
            )
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("Deze uitnodiging is verlopen. Vraag je stagecoördinator om een nieuwe uitnodiging.")
        )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> Any:
    """The student sets a password: their login is created (role Student, username = e-mail),
    linked to the student, and the invitation is used up. Returns the new user."""
    from stagekans.accounts.models import User
    from stagekans.accounts.roles import Role
    from stagekans.accounts.services import create_user

    invitation = open_invitation(token, for_update=True)
    student = Student.objects.select_for_update().get(pk=invitation.student_id)
    candidate = User(
        username=invitation.email,
        email=invitation.email,
        first_name=student.given_name,
        last_name=student.family_name,
    )
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None
    email = _clean_email(invitation.email)
    user = create_user(
        acting_user=None,
        username=email,
        email=email,
        password=password,
        role=Role.STUDENT,
        first_name=student.given_name,
        last_name=student.family_name,
    )
    student.user = user
    student.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(
        actor=user,
        event=AuditEvent.STUDENT_INVITATION_ACCEPTED,
        obj=student,
        details={"invitation": invitation.pk, "user": user.pk},
    )
    return user


@transaction.atomic
def record_student_view(*, acting_user: Any, student: Student) -> None:
    """Viewing a student's personal data by someone else is itself audited."""
    if getattr(student, "user_id", None) != getattr(acting_user, "pk", None):
        record(actor=acting_user, event=AuditEvent.STUDENT_VIEWED, obj=student)
