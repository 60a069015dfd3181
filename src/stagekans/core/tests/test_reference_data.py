import pytest
from django.apps import apps

from stagekans.accounts.roles import ROLES
from stagekans.core.reference_data import restore

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = ["auth.Group", "auth.Permission", "informatiepakket.HandoutVersion"]


def _counts() -> dict[str, int]:
    counts = {}
    for label in REFERENCE_MODELS:
        counts[label] = apps.get_model(label).objects.count()
    counts["group_permissions"] = apps.get_model("auth.Group").permissions.through.objects.count()
    return counts


def test_data_migrations_are_idempotent():
    before = _counts()
    assert before["auth.Group"] == len(ROLES) and before["informatiepakket.HandoutVersion"] == 2
    assert restore() >= 3
    assert _counts() == before


def test_restore_brings_back_what_a_flush_removed():
    before = _counts()
    apps.get_model("auth.Group").objects.all().delete()
    apps.get_model("informatiepakket.HandoutVersion").objects.all().delete()
    restore()
    assert _counts() == before
