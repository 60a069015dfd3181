"""Research extracts: agreement recorded, keyed hash per project, k-anonymity, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.insight.research import k_anonymise
from stagekans.insight.services import research
from stagekans.testing import factories as f
from stagekans.testing import insight as t


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 100)), max_size=80),
    st.integers(min_value=2, max_value=6),
)
def test_k_anonymise_keeps_only_classes_of_at_least_k(rows, k):
    result = k_anonymise(rows, [0, 1], k)
    classes: dict[tuple[int, int], int] = {}
    for row in result.kept:
        classes[(row[0], row[1])] = classes.get((row[0], row[1]), 0) + 1
    assert all(n >= k for n in classes.values())
    assert len(result.kept) + result.withheld == len(rows)


def _project(user, k=10):
    today = timezone.localdate()
    return research.register_project(
        acting_user=user,
        title="Stagediscriminatie in het mbo",
        organisation="Universiteit",
        purpose="Verschillen in plaatsing",
        agreement_reference="DUO-2026-01",
        agreement_signed_on=today - dt.timedelta(days=1),
        agreement_ends_on=today + dt.timedelta(days=365),
        k=k,
    )


@pytest.mark.django_db
def test_extract_released_with_project_pseudonyms_and_refused_when_not_k_anonymous():
    s = t.setting()
    sent = timezone.make_aware(dt.datetime(2025, 10, 1, 10, 0))
    students = t.students(s["programme"], 12, "nl")
    for student in students:
        t.apply(student, s["vacancy"], status="rejected", sent_at=sent, reason="capacity")
    analyst = f.UserFactory(role=Role.ANALYST)
    project = _project(analyst, k=10)
    content = research.release_extract(acting_user=analyst, project=project)
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0][0] == "pseudoniem" and len(rows) == 13
    names = {st_.family_name for st_ in students}
    assert not any(name in content.decode() for name in names)
    other = _project(analyst, k=10)
    other_rows = list(
        csv.reader(
            io.StringIO(research.release_extract(acting_user=analyst, project=other).decode())
        )
    )
    assert {r[0] for r in rows[1:]}.isdisjoint({r[0] for r in other_rows[1:]})
    # All 12 share one combination: with k = 13 every row would be withheld, so refused.
    strict = _project(analyst, k=13)
    with pytest.raises(ValidationError):
        research.release_extract(acting_user=analyst, project=strict)
    events = list(AuditLog.objects.values_list("event_type", flat=True))
    assert events.count(AuditEvent.INSIGHT_EXTRACT_RELEASED) == 2
    assert AuditEvent.INSIGHT_EXTRACT_REFUSED in events
    assert AuditEvent.INSIGHT_PROJECT_REGISTERED in events


@pytest.mark.django_db
def test_research_pages_only_for_the_analyst():
    for role, expected in (
        (Role.ANALYST, 200),
        (Role.ADVISORY_COMMITTEE, 403),
        (Role.SBB_ADVISOR, 403),
        (Role.STUDENT, 403),
    ):
        client = Client()
        client.force_login(f.UserFactory(role=role))
        assert client.get("/inzicht/onderzoek/").status_code == expected
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    response = client.post("/inzicht/onderzoek/", {"title": "", "k": "3"})
    assert response.status_code == 200 and "Verbeter het volgende" in response.content.decode()
