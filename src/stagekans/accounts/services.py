"""Writes for accounts: creating users, changing roles (four-eyes for sensitive roles).

Rules (issue 10, finding 1):
- superuser status is never given here, nor in /beheer/: only `manage.py createsuperuser`;
- no one changes their own roles;
- a sensitive role (`RoleDefinition.sensitive`) is given only after a second beheerder approves
  a pending `RoleGrant`; the person is told by mail at request and decision;
- every change writes an audit row in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.accounts.models import RoleGrant, RoleGrantStatus, User
from stagekans.accounts.roles import ROLES, Role
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.notifications.services import enqueue_mail

# The role-grant workflow as data: from a status, the statuses a decision may lead to.
ROLE_GRANT_TRANSITIONS: dict[str, frozenset[str]] = {
    RoleGrantStatus.PENDING: frozenset({RoleGrantStatus.APPROVED, RoleGrantStatus.REFUSED}),
    RoleGrantStatus.APPROVED: frozenset(),
    RoleGrantStatus.REFUSED: frozenset(),
}


@transaction.atomic
def create_user(
    *,
    acting_user: User | None,
    username: str,
    email: str,
    password: str | None,
    role: Role,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a login with exactly one role. `acting_user` is None only for system seeding.

    A person (acting_user set) creates logins with a non-sensitive role only; a sensitive role
    follows through `change_role`, which needs a second beheerder.
    """
    definition = ROLES[role]
    if acting_user is not None and definition.sensitive:
        raise ValidationError(
            _(
                "Maak het account eerst aan zonder gevoelige rol en vraag de rol daarna aan: "
                "een tweede beheerder moet die goedkeuren."
            )
        )
    user = User(
        username=username,
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        is_staff=definition.staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get(name=definition.group_name)])
    record(
        actor=acting_user,
        event=AuditEvent.USER_CREATED,
        obj=user,
        details={"role": role.value},
    )
    return user


def _apply_role(user: User, role: Role) -> None:
    definition = ROLES[role]
    user.groups.set([Group.objects.get(name=definition.group_name)])
    user.is_staff = definition.staff
    user.save(update_fields=["is_staff"])


def _refuse_self(acting_user: User, user: User) -> None:
    if acting_user.pk == user.pk:
        raise PermissionDenied(_("U kunt uw eigen rollen niet wijzigen."))


def _current_roles(user: User) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return sorted(r.value for r, d in ROLES.items() if d.group_name in names)


def _mail_person(user: User, *, subject: str, body: str, key: str) -> None:
    if user.email:
        enqueue_mail(to=user.email, subject=subject, body=body, dedup_key=key)


@transaction.atomic
def set_role(*, acting_user: User, user: User, role: Role) -> User:
    """Give `user` a non-sensitive role at once. Sensitive roles go through `change_role`."""
    if not acting_user.has_perm("accounts.request_role_grant"):
        raise PermissionDenied(_("U mag geen rollen wijzigen."))
    _refuse_self(acting_user, user)
    if ROLES[role].sensitive:
        raise PermissionDenied(
            _("Deze rol is gevoelig: een tweede beheerder moet de aanvraag goedkeuren.")
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _current_roles(user)
    _apply_role(user, role)
    record(
        actor=acting_user,
        event=AuditEvent.USER_ROLE_CHANGED,
        obj=user,
        details={"role": role.value, "before": before},
    )
    return user


@transaction.atomic
def change_role(*, acting_user: User, user: User, role: Role, reason: str) -> RoleGrant | None:
    """Change `user`'s role: at once for a non-sensitive role (returns None), otherwise as a
    pending grant a second beheerder must approve (returns it). Refuses one's own account."""
    if not acting_user.has_perm("accounts.request_role_grant"):
        raise PermissionDenied(_("U mag geen rollen wijzigen."))
    _refuse_self(acting_user, user)
    if not ROLES[role].sensitive:
        set_role(acting_user=acting_user, user=user, role=role)
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Toelichting: geef aan waarom deze rol nodig is.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    if RoleGrant.objects.filter(user=user, status=RoleGrantStatus.PENDING).exists():
        raise ValidationError(
            _("Voor deze gebruiker wacht al een rolaanvraag op een tweede beheerder.")
        )
    grant = RoleGrant.objects.create(
        user=user, role=role.value, requested_by=acting_user, reason=reason
    )
    record(
        actor=acting_user,
        event=AuditEvent.ROLE_GRANT_REQUESTED,
        obj=user,
        details={"grant": grant.pk, "role": role.value, "before": _current_roles(user)},
    )
    _mail_person(
        user,
        subject=_("Stagekans: er is een rol voor u aangevraagd"),
        body=_(
            "Beste %(name)s,\n\n"
            "Een beheerder van Stagekans heeft voor uw account de rol '%(role)s' aangevraagd. "
            "Een tweede beheerder moet dit goedkeuren voordat de rol ingaat.\n\n"
            "Herkent u deze aanvraag niet? Neem dan direct contact op met de beheerders van "
            "Stagekans.\n\nMet vriendelijke groet,\nStagekans\n"
        )
        % {"name": user, "role": ROLES[role].group_name},
        key=f"role-grant:{grant.pk}:requested",
    )
    return grant


@transaction.atomic
def decide_role_grant(
    *, acting_user: User, grant: RoleGrant, approve: bool, note: str = ""
) -> RoleGrant:
    """A second beheerder approves or refuses a pending grant (never the requester or the
    person it is about; the database enforces the same)."""
    if not acting_user.has_perm("accounts.decide_role_grant"):
        raise PermissionDenied(_("U mag geen rolaanvragen beoordelen."))
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    target = RoleGrantStatus.APPROVED if approve else RoleGrantStatus.REFUSED
    if target not in ROLE_GRANT_TRANSITIONS[grant.status]:
        raise ValidationError(_("Over deze rolaanvraag is al besloten."))
    if acting_user.pk == grant.requested_by_id:
        raise PermissionDenied(
            _("Vier ogen: een andere beheerder dan de aanvrager moet deze aanvraag beoordelen.")
        )
    _refuse_self(acting_user, grant.user)
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Toelichting: geef aan waarom u de aanvraag afwijst.")})
    grant.status = target
    grant.decided_by = acting_user
    grant.decided_at = timezone.now()
    grant.decision_note = (note or "").strip()
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    user = User.objects.select_for_update().get(pk=grant.user_id)
    role = Role(grant.role)
    before = _current_roles(user)
    if approve:
        _apply_role(user, role)
    record(
        actor=acting_user,
        event=AuditEvent.ROLE_GRANT_APPROVED if approve else AuditEvent.ROLE_GRANT_REFUSED,
        obj=user,
        details={
            "grant": grant.pk,
            "role": role.value,
            "requested_by": grant.requested_by_id,
            "before": before,
        },
    )
    if approve:
        body = _(
            "Beste %(name)s,\n\nU hebt in Stagekans de rol '%(role)s' gekregen, aangevraagd en "
            "goedgekeurd door twee beheerders. Log in op %(url)s; bij uw eerste inlog stelt u "
            "een tweede stap (authenticator-app) in.\n\n"
            "Herkent u dit niet? Neem dan direct contact op met de beheerders van Stagekans.\n\n"
            "Met vriendelijke groet,\nStagekans\n"
        )
    else:
        body = _(
            "Beste %(name)s,\n\nDe aanvraag voor de rol '%(role)s' voor uw account in Stagekans "
            "is afgewezen. Uw rechten blijven zoals ze waren.\n\n"
            "Met vriendelijke groet,\nStagekans\n"
        )
    _mail_person(
        user,
        subject=_("Stagekans: uw rol is gewijzigd")
        if approve
        else _("Stagekans: rolaanvraag afgewezen"),
        body=body % {"name": user, "role": ROLES[role].group_name, "url": settings.SITE_URL},
        key=f"role-grant:{grant.pk}:{target}",
    )
    return grant


@transaction.atomic
def unlock_login(*, acting_user: User, username: str | None = None, ip: str | None = None) -> int:
    """Lift a login lockout (django-axes) for a username or an address; audited."""
    from axes.utils import reset

    if not acting_user.has_perm("accounts.unlock_login"):
        raise PermissionDenied(_("U mag geen inlogblokkades opheffen."))
    if not username and not ip:
        raise ValidationError(_("Kies een gebruikersnaam of een IP-adres om vrij te geven."))
    removed = reset(username=username) if username else reset(ip=ip)
    account = User.objects.filter(username=username).first() if username else None
    record(
        actor=acting_user,
        event=AuditEvent.LOGIN_UNLOCKED,
        obj=account,
        details={"username": username or "", "ip": ip or "", "attempts_removed": removed},
    )
    return removed


@transaction.atomic
def record_password_changed(*, acting_user: User | None, user: User, via_reset: bool) -> None:
    """Audit a password change (Django's views do the change itself; never log the password)."""
    record(
        actor=acting_user if acting_user is not None else user,
        event=AuditEvent.PASSWORD_RESET_DONE if via_reset else AuditEvent.PASSWORD_CHANGED,
        obj=user,
        details={},
    )
