"""Issue 9, defect 9: the case timeline folds views ("12× ingezien door …"); the audit log
keeps one row for every view."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import selectors, services


def test_twelve_views_are_one_line_and_twelve_audit_rows(world):
    case = world.case()
    client = Client()
    client.force_login(world.investigator)
    for _ in range(11):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    services.start_investigation(acting_user=world.investigator, case=case)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    views = AuditLog.objects.filter(event_type=AuditEvent.CASE_VIEWED, object_id=str(case.pk))
    assert views.count() == 12
    lines = selectors.timeline(case)
    view_lines = [e for e in lines if e.kind in ("view", "views")]
    name = world.investigator.get_full_name() or world.investigator.username
    # 11 views before the status change fold into one line; the 12th stands after it.
    assert [e.title for e in view_lines] == [
        f"11× ingezien door {name}",
        "Onderzoekszaak ingezien",
    ]
    assert f"11× ingezien door {name}" in page
    assert page.count("Onderzoekszaak ingezien") <= 2  # never one line per view


def test_views_by_different_people_are_not_folded_together(world):
    case = world.case()
    services.record_case_view(acting_user=world.investigator, case=case)
    services.record_case_view(acting_user=world.investigator, case=case)
    services.record_case_view(acting_user=world.trainer, case=case, what="party_portal")
    titles = [e.title for e in selectors.timeline(case) if e.kind in ("view", "views")]
    name = world.investigator.get_full_name() or world.investigator.username
    assert titles == [f"2× ingezien door {name}", "Onderzoekszaak ingezien"]
