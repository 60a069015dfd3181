import pytest
from django.contrib.auth.models import Group

from stagekans.accounts.roles import ROLES, Role
from stagekans.accounts.selectors import role_of
from stagekans.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_exactly_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) == {
        d.group_name for d in ROLES.values()
    }
    for definition in ROLES.values():
        group = Group.objects.get(name=definition.group_name)
        perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert perms == set(definition.permissions), definition.group_name


def test_analyst_has_no_personal_data_permission():
    user = UserFactory(role=Role.ANALYST)
    assert user.has_perm("accounts.view_aggregates")
    for perm in (
        "education.view_student",
        "education.view_all_students",
        "companies.view_company",
        "register.view_recognition",
    ):
        assert not user.has_perm(perm)


@pytest.mark.parametrize("role", list(Role))
def test_role_of(role):
    user = UserFactory(role=role)
    assert role_of(user) == role
    assert user.is_staff == ROLES[role].staff


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from stagekans.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
