"""The SBB pages: grant with the five conditions, propose / approve / reject a revocation,
the reassessment task list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from stagekans.register.models import RevocationRequest, RevocationState
from stagekans.register.workflow import CONDITION_FIELDS
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_grant_form_requires_all_five_conditions(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory(granted=False)
    url = f"/erkenningen/{recognition.pk}/verlenen/"
    data = {"grant-reason": "Bezoek afgelegd"}
    data.update({f"grant-{name}": "on" for name in CONDITION_FIELDS if name != "safe_environment"})
    response = _client(officer).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Niet vervuld: Een veilige leeromgeving, vrij van discriminatie" in body
    recognition.refresh_from_db()
    assert recognition.status == "requested"
    data["grant-safe_environment"] = "on"
    response = _client(officer).post(url, data)
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == "recognised"


def test_four_eyes_through_the_pages(officers):
    proposer, approver = officers
    recognition = f.RecognitionFactory()
    detail = f"/erkenningen/{recognition.pk}/"
    response = _client(proposer).post(
        f"{detail}intrekken/",
        {"revoke-decision_reference": "SBB-2026-7", "revoke-reason": "Onveilige werkplek."},
    )
    assert response.status_code == 302
    revocation = RevocationRequest.objects.get()
    page = _client(proposer).get(detail).content.decode()
    assert "zelf voorgesteld" in page
    refused = _client(proposer).post(
        f"/erkenningen/intrekkingen/{revocation.pk}/goedkeuren/", {"bevestigd": "1"}, follow=True
    )
    assert "tweede, andere adviseur" in refused.content.decode()
    revocation.refresh_from_db()
    assert revocation.state == RevocationState.PENDING
    assert "Intrekking beoordelen en goedkeuren" in _client(approver).get(detail).content.decode()
    assert (
        revocation.decision_reference
        in _client(approver).get("/erkenningen/intrekkingen/").content.decode()
    )
    _client(approver).post(
        f"/erkenningen/intrekkingen/{revocation.pk}/goedkeuren/", {"bevestigd": "1"}
    )
    recognition.refresh_from_db()
    assert recognition.status == "revoked"


def test_reject_through_the_page_and_forms_show_errors(officers):
    proposer, other = officers
    recognition = f.RecognitionFactory()
    missing = _client(proposer).post(
        f"/erkenningen/{recognition.pk}/intrekken/", {"revoke-reason": "x"}
    )
    assert missing.status_code == 400
    _client(proposer).post(
        f"/erkenningen/{recognition.pk}/intrekken/",
        {"revoke-decision_reference": "K-1", "revoke-reason": "x"},
    )
    revocation = RevocationRequest.objects.get()
    empty = _client(other).post(f"/erkenningen/intrekkingen/{revocation.pk}/afwijzen/", {})
    assert empty.status_code == 400
    _client(other).post(
        f"/erkenningen/intrekkingen/{revocation.pk}/afwijzen/",
        {"reject-reject_reason": "Onvoldoende onderbouwd"},
    )
    revocation.refresh_from_db()
    assert revocation.state == RevocationState.REJECTED


def test_trainer_cannot_post_a_revocation():
    recognition = f.RecognitionFactory()
    trainer = f.trainer_user(recognition.company)
    response = _client(trainer).post(
        f"/erkenningen/{recognition.pk}/intrekken/",
        {"revoke-decision_reference": "K", "revoke-reason": "x"},
    )
    assert response.status_code == 403
    assert not RevocationRequest.objects.exists()


def test_reassessment_page(officers):
    officer, _ = officers
    due = f.RecognitionFactory(valid_from=dt.date.today() - dt.timedelta(days=4 * 365 - 10))
    later = f.RecognitionFactory()
    page = _client(officer).get("/erkenningen/herbeoordeling/", {"dagen": 60})
    assert page.status_code == 200
    assert list(page.context["page_obj"].object_list) == [due]
    assert later.company.name not in page.content.decode()
    bad = _client(officer).get("/erkenningen/herbeoordeling/", {"dagen": "veel"})
    assert bad.status_code == 200
    assert "geheel getal" in bad.content.decode()
