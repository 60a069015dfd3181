"""`manage.py reset_demo`: fresh demo data on a used database, only in development."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from stagekans.accounts.roles import ROLES
from stagekans.education.models import School
from stagekans.geo.models import PostcodeArea
from stagekans.geo.pc4 import builtin_rows
from stagekans.testing import factories as f

SMALL = {"schools": 1, "students": 10, "companies": 30, "history_reports": 0}


@pytest.mark.django_db(transaction=True)
def test_reset_demo_replaces_everything_with_fresh_demo_data(settings):
    f.SchoolFactory(name="School die weg moet")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("reset_demo", "--yes", stdout=StringIO(), **SMALL)
    assert School.objects.filter(name="School die weg moet").exists()

    settings.DEBUG = True
    out = StringIO()
    call_command("reset_demo", "--yes", stdout=out, **SMALL)
    assert not School.objects.filter(name="School die weg moet").exists()
    assert School.objects.count() == 1 + 6  # and the keuzedelen demo's six partner schools
    assert Group.objects.count() == len(ROLES)  # reference data is back
    assert PostcodeArea.objects.count() == len(builtin_rows())
    assert "Demologins" in out.getvalue() and "scholen" in out.getvalue()
