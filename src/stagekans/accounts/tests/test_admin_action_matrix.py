"""Issue 10: every role (and a command-line superuser) tries every admin action; the effect in
the database, not only the status code, decides whether it succeeded."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from stagekans.accounts import services
from stagekans.accounts.models import RoleGrant, RoleGrantStatus, User
from stagekans.accounts.roles import ROLES, Role
from stagekans.accounts.selectors import role_of
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

ACTORS = [*(r.value for r in Role), "superuser"]


class World:
    def __init__(self, actor_name: str) -> None:
        self.other_admin = f.UserFactory(role=Role.ADMIN, username="tweede-beheerder")
        self.target = f.UserFactory(role=Role.ANALYST, username="doelwit")
        if actor_name == "superuser":
            self.actor = User.objects.create_superuser("root", "root@example.nl", f.PASSWORD)
        else:
            self.actor = f.UserFactory(role=Role(actor_name), username="actor")
        self.client = Client()
        self.client.force_login(self.actor)
        # A grant requested by the other beheerder (to approve), and one by the actor's hand
        # written directly (to try approving one's own request).
        self.others_grant = services.change_role(
            acting_user=self.other_admin, user=self.target, role=Role.MELDPUNT, reason="x"
        )
        self.own_target = f.UserFactory(role=Role.ANALYST, username="doelwit2")
        self.own_grant = RoleGrant.objects.create(
            user=self.own_target, role=Role.ADMIN.value, requested_by=self.actor, reason="x"
        )
        from axes.models import AccessAttempt

        AccessAttempt.objects.create(
            username="geblokkeerd",
            ip_address="203.0.113.9",
            user_agent="x",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/account/inloggen/",
            failures_since_start=50,
        )

    def change_target(self, user: User, **extra: object) -> None:
        data: dict[str, object] = {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": "on",
            "preferred_language": "nl",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        }
        data.update(extra)
        self.client.post(f"/beheer/accounts/user/{user.pk}/change/", data)


def _open_beheer(w: World) -> bool:
    return w.client.get("/beheer/").status_code == 200


def _add_user_in_beheer(w: World) -> bool:
    w.client.post(
        "/beheer/accounts/user/add/",
        {
            "username": "nieuw",
            "password1": "Een-lang-wachtwoord-1",
            "password2": "Een-lang-wachtwoord-1",
            "usable_password": "true",
        },
    )
    return User.objects.filter(username="nieuw").exists()


def _superuser_flag_on_other(w: World) -> bool:
    w.change_target(w.target, is_superuser="on")
    return User.objects.get(pk=w.target.pk).is_superuser


def _superuser_flag_on_self(w: World) -> bool:
    was = w.actor.is_superuser
    w.change_target(w.actor, is_superuser="on")
    return not was and User.objects.get(pk=w.actor.pk).is_superuser


def _groups_of_other_in_beheer(w: World) -> bool:
    group = Group.objects.get(name=ROLES[Role.ADMIN].group_name)
    w.change_target(w.target, groups=[group.pk])
    return w.target.groups.filter(pk=group.pk).exists()


def _groups_of_self_in_beheer(w: World) -> bool:
    before = set(w.actor.groups.values_list("pk", flat=True))
    wanted = [g.pk for g in Group.objects.all()]  # every role at once
    w.change_target(w.actor, groups=wanted)
    return set(w.actor.groups.values_list("pk", flat=True)) != before


def _permissions_in_beheer(w: World) -> bool:
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(codename="view_report")
    w.change_target(w.target, user_permissions=[perm.pk])
    return w.target.user_permissions.exists()


def _edit_role_definition_in_beheer(w: World) -> bool:
    group = Group.objects.get(name=ROLES[Role.ANALYST].group_name)
    w.client.post(f"/beheer/auth/group/{group.pk}/change/", {"name": "x", "permissions": []})
    return Group.objects.filter(name="x").exists()


def _request_sensitive_role_for_other(w: World) -> bool:
    other = f.UserFactory(role=Role.ANALYST, username="derde")
    w.client.post(
        "/account/rollen/", {"user": other.pk, "role": Role.SBB_ADVISOR.value, "reason": "x"}
    )
    return RoleGrant.objects.filter(user=other, status=RoleGrantStatus.PENDING).exists()


def _change_own_role(w: World) -> bool:
    before = role_of(w.actor)
    w.client.post(
        "/account/rollen/", {"user": w.actor.pk, "role": Role.MELDPUNT.value, "reason": "x"}
    )
    return (
        RoleGrant.objects.filter(user=w.actor).exists()
        or role_of(User.objects.get(pk=w.actor.pk)) != before
    )


def _approve_own_request(w: World) -> bool:
    w.client.post(f"/account/rollen/{w.own_grant.pk}/besluit/", {"decision": "approve"})
    return role_of(User.objects.get(pk=w.own_target.pk)) == Role.ADMIN


def _approve_others_request(w: World) -> bool:
    assert w.others_grant is not None
    w.client.post(f"/account/rollen/{w.others_grant.pk}/besluit/", {"decision": "approve"})
    return role_of(User.objects.get(pk=w.target.pk)) == Role.MELDPUNT


def _unlock_login(w: World) -> bool:
    from axes.models import AccessAttempt

    w.client.post("/account/blokkades/", {"username": "geblokkeerd"})
    return not AccessAttempt.objects.filter(username="geblokkeerd").exists()


ACTIONS: dict[str, Callable[[World], bool]] = {
    "open_beheer": _open_beheer,
    "add_user_in_beheer": _add_user_in_beheer,
    "superuser_flag_on_other": _superuser_flag_on_other,
    "superuser_flag_on_self": _superuser_flag_on_self,
    "groups_of_other_in_beheer": _groups_of_other_in_beheer,
    "groups_of_self_in_beheer": _groups_of_self_in_beheer,
    "permissions_in_beheer": _permissions_in_beheer,
    "edit_role_definition_in_beheer": _edit_role_definition_in_beheer,
    "request_sensitive_role_for_other": _request_sensitive_role_for_other,
    "change_own_role": _change_own_role,
    "approve_own_request": _approve_own_request,
    "approve_others_request": _approve_others_request,
    "unlock_login": _unlock_login,
}

# What may succeed; everything else must fail for every actor.
ALLOWED: dict[str, set[str]] = {
    "admin": {
        "open_beheer",
        "add_user_in_beheer",
        "request_sensitive_role_for_other",
        "approve_others_request",
        "unlock_login",
    },
    "superuser": {
        "open_beheer",
        "add_user_in_beheer",
        "request_sensitive_role_for_other",
        "approve_others_request",
        "unlock_login",
    },
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_role_by_admin_action(actor: str, action: str) -> None:
    world = World(actor)
    succeeded = ACTIONS[action](world)
    expected = action in ALLOWED.get(actor, set())
    assert succeeded == expected, f"{actor} → {action}: {'allowed' if succeeded else 'refused'}"
