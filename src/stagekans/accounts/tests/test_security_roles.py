"""Issue 10, finding 1: no self-granted rights. Superuser only from the command line, no one
changes their own roles, a sensitive role needs a second beheerder (four-eyes, enforced in the
database too), every change is audited and the person is told by mail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from stagekans.accounts import services
from stagekans.accounts.models import RoleGrant, RoleGrantStatus, User
from stagekans.accounts.roles import ROLES, SENSITIVE_ROLES, Role
from stagekans.accounts.selectors import role_of
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_form_data(user: User, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "preferred_language": "nl",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(extra)
    return data


def test_sensitive_roles_are_data():
    assert {Role.MELDPUNT, Role.SBB_INVESTIGATOR, Role.SBB_ADVISOR, Role.ADMIN} <= SENSITIVE_ROLES
    assert Role.STUDENT not in SENSITIVE_ROLES
    assert all(ROLES[r].sensitive for r in SENSITIVE_ROLES)


def test_beheerder_cannot_tick_superuser_or_add_groups_in_beheer():
    admin = f.UserFactory(role=Role.ADMIN)
    other = f.UserFactory(role=Role.ANALYST)
    client = _admin_client(admin)
    meldpunt_group = ROLES[Role.MELDPUNT].group_name
    from django.contrib.auth.models import Group, Permission

    for target in (admin, other):
        response = client.post(
            f"/beheer/accounts/user/{target.pk}/change/",
            _change_form_data(
                target,
                is_superuser="on",
                is_staff="on",
                groups=[Group.objects.get(name=meldpunt_group).pk],
                user_permissions=[Permission.objects.get(codename="view_report").pk],
            ),
        )
        assert response.status_code in (200, 302, 403)
        target.refresh_from_db()
        assert not target.is_superuser
        assert not target.user_permissions.exists()
        assert meldpunt_group not in set(target.groups.values_list("name", flat=True))
    other.refresh_from_db()
    assert not other.is_staff  # analysts are not staff; the flag is read-only too


def test_superuser_flag_and_roles_are_read_only_in_beheer_even_for_a_superuser():
    root = User.objects.create_superuser("root", "root@example.nl", f.PASSWORD)
    other = f.UserFactory(role=Role.ANALYST)
    client = _admin_client(root)
    page = client.get(f"/beheer/accounts/user/{other.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' not in page
    assert 'name="user_permissions"' not in page
    client.post(
        f"/beheer/accounts/user/{other.pk}/change/",
        _change_form_data(other, is_superuser="on"),
    )
    other.refresh_from_db()
    assert not other.is_superuser


def test_no_one_edits_their_own_account_in_beheer_and_beheerder_cannot_touch_a_superuser():
    admin = f.UserFactory(role=Role.ADMIN)
    root = User.objects.create_superuser("root", "root@example.nl", f.PASSWORD)
    client = _admin_client(admin)
    response = client.post(
        f"/beheer/accounts/user/{admin.pk}/change/", _change_form_data(admin, first_name="X")
    )
    assert response.status_code == 403
    response = client.post(
        f"/beheer/accounts/user/{root.pk}/change/", _change_form_data(root, first_name="X")
    )
    assert response.status_code == 403
    # Setting another person's password here is for superusers; others use the reset mail.
    other = f.UserFactory(role=Role.ANALYST)
    response = client.post(
        f"/beheer/accounts/user/{other.pk}/password/",
        {"password1": "Nieuw-wachtwoord-99", "password2": "Nieuw-wachtwoord-99"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.check_password(f.PASSWORD)


def test_groups_are_read_only_in_beheer():
    root = User.objects.create_superuser("root", "root@example.nl", f.PASSWORD)
    client = _admin_client(root)
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=ROLES[Role.ANALYST].group_name)
    before = set(group.permissions.values_list("codename", flat=True))
    response = client.post(
        f"/beheer/auth/group/{group.pk}/change/", {"name": group.name, "permissions": []}
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("codename", flat=True)) == before


def test_no_one_changes_their_own_role():
    admin = f.UserFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.change_role(acting_user=admin, user=admin, role=Role.MELDPUNT, reason="x")
    with pytest.raises(PermissionDenied):
        services.set_role(acting_user=admin, user=admin, role=Role.STUDENT)
    assert role_of(admin) == Role.ADMIN


def test_sensitive_role_waits_for_a_second_beheerder_and_tells_the_person():
    first, second = f.UserFactory(role=Role.ADMIN), f.UserFactory(role=Role.ADMIN)
    person = f.UserFactory(role=Role.ANALYST)
    grant = services.change_role(
        acting_user=first, user=person, role=Role.MELDPUNT, reason="Versterking intake"
    )
    assert grant is not None and grant.status == RoleGrantStatus.PENDING
    assert role_of(person) == Role.ANALYST  # nothing changed yet
    assert OutboxMessage.objects.filter(to=person.email).count() == 1
    assert AuditLog.objects.filter(
        event_type=AuditEvent.ROLE_GRANT_REQUESTED, actor=first, object_id=str(person.pk)
    ).exists()
    # The requester cannot approve it, nor can the person it is about.
    with pytest.raises(PermissionDenied):
        services.decide_role_grant(acting_user=first, grant=grant, approve=True)
    services.decide_role_grant(acting_user=second, grant=grant, approve=True)
    person = User.objects.get(pk=person.pk)
    assert role_of(person) == Role.MELDPUNT
    assert OutboxMessage.objects.filter(to=person.email).count() == 2
    row = AuditLog.objects.get(event_type=AuditEvent.ROLE_GRANT_APPROVED)
    assert row.actor == second and row.details["requested_by"] == first.pk
    with pytest.raises(ValidationError):  # decided once
        services.decide_role_grant(acting_user=second, grant=grant, approve=False, note="x")


def test_refusal_needs_a_reason_and_changes_nothing():
    first, second = f.UserFactory(role=Role.ADMIN), f.UserFactory(role=Role.ADMIN)
    person = f.UserFactory(role=Role.SCHOOL_STAFF)
    grant = services.change_role(acting_user=first, user=person, role=Role.ADMIN, reason="x")
    assert grant is not None
    with pytest.raises(ValidationError):
        services.decide_role_grant(acting_user=second, grant=grant, approve=False)
    services.decide_role_grant(acting_user=second, grant=grant, approve=False, note="Niet nodig")
    assert role_of(User.objects.get(pk=person.pk)) == Role.SCHOOL_STAFF
    assert AuditLog.objects.filter(event_type=AuditEvent.ROLE_GRANT_REFUSED).count() == 1


def test_a_person_cannot_create_a_login_with_a_sensitive_role_directly():
    admin = f.UserFactory(role=Role.ADMIN)
    with pytest.raises(ValidationError):
        services.create_user(
            acting_user=admin, username="x", email="x@example.nl", password=None, role=Role.ADMIN
        )


def test_database_refuses_a_grant_decided_by_its_requester_or_for_oneself():
    first = f.UserFactory(role=Role.ADMIN)
    person = f.UserFactory(role=Role.ANALYST)
    grant = services.change_role(acting_user=first, user=person, role=Role.MELDPUNT, reason="x")
    assert grant is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=RoleGrantStatus.APPROVED, decided_by=first
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=RoleGrantStatus.APPROVED, decided_by=person
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=first, role="admin", requested_by=first, reason="x")


def test_role_page_request_and_second_beheerder_approves():
    first, second = f.UserFactory(role=Role.ADMIN), f.UserFactory(role=Role.ADMIN)
    person = f.UserFactory(role=Role.ANALYST)
    client = _admin_client(first)
    assert client.get("/account/rollen/").status_code == 200
    response = client.post(
        "/account/rollen/",
        {"user": person.pk, "role": Role.SBB_INVESTIGATOR.value, "reason": "Nieuw team"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=person)
    page = client.get("/account/rollen/").content.decode()
    assert "Een andere beheerder beslist." in page
    # The requester's own approval is refused, also when posted by hand.
    client.post(f"/account/rollen/{grant.pk}/besluit/", {"decision": "approve"})
    assert role_of(User.objects.get(pk=person.pk)) == Role.ANALYST
    second_client = _admin_client(second)
    response = second_client.post(f"/account/rollen/{grant.pk}/besluit/", {"decision": "approve"})
    assert response.status_code == 302
    assert role_of(User.objects.get(pk=person.pk)) == Role.SBB_INVESTIGATOR


def test_role_page_refuses_a_sensitive_role_without_a_reason_in_dutch():
    admin = f.UserFactory(role=Role.ADMIN)
    person = f.UserFactory(role=Role.ANALYST)
    response = _admin_client(admin).post(
        "/account/rollen/", {"user": person.pk, "role": Role.MELDPUNT.value, "reason": ""}
    )
    assert response.status_code == 400
    assert "Toelichting" in response.content.decode()
    assert not RoleGrant.objects.exists()
