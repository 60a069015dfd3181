"""Finding 4 (issue 10): knowing a report number must not let anyone lock its reporter out.

Failed code checks are limited per client and for all clients together, never per report
number; every well-formed code still costs exactly one Argon2 verification, and a refused
(rate-limited) attempt costs none."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from stagekans.core import ratelimit as core_ratelimit
from stagekans.meldpunt import ratelimit, receipt
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
FOLLOW = "/meldpunt/volgen/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    core_ratelimit.reset_circuit()
    yield
    cache.clear()


def wrong(code: str) -> str:
    digits = code.replace("-", "")
    last = "1" if digits[-1] != "1" else "2"
    return digits[:-1] + last


def test_strangers_hammering_one_report_number_do_not_lock_out_its_reporter():
    submitted = f.submit_report()
    # Two attackers, each up to their own client limit, then many more from a third address:
    # far more wrong codes against this one number than the old per-number lockout (20) allowed.
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        attacker = Client(REMOTE_ADDR=address)
        statuses = [
            attacker.post(FOLLOW, {"code": wrong(submitted.receipt_code)}).status_code
            for _ in range(ratelimit.CODE_PER_CLIENT.limit + 2)
        ]
        assert statuses[: ratelimit.CODE_PER_CLIENT.limit] == [400] * 10
        assert statuses[-1] == 429  # each attacker is stopped
    reporter = Client(REMOTE_ADDR="198.51.100.44")
    assert reporter.post(FOLLOW, {"code": submitted.receipt_code}).status_code == 302
    assert reporter.get("/meldpunt/volgen/melding/").status_code == 200


def test_all_clients_together_are_limited(monkeypatch):
    monkeypatch.setattr(ratelimit, "CODE_GLOBAL", ratelimit.Limit("code-global", 15, 15 * 60))
    submitted = f.submit_report()
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{i + 1}")
        .post(FOLLOW, {"code": wrong(submitted.receipt_code)})
        .status_code
        for i in range(16)
    ]
    assert statuses[:15] == [400] * 15 and statuses[15] == 429
    blocked = Client(REMOTE_ADDR="198.51.100.1").post(FOLLOW, {"code": submitted.receipt_code})
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.content.decode() and blocked["Retry-After"] == "900"


def test_every_check_costs_one_argon2_verification_and_a_blocked_one_none(monkeypatch):
    submitted = f.submit_report()
    account_report = f.submit_report(acting_user=f.student_user(f.StudentFactory())).report
    verifications: list[str] = []
    original = receipt._verify

    def counting(secret_hash: str, secret: str) -> bool:
        verifications.append(secret_hash)
        return original(secret_hash, secret)

    monkeypatch.setattr(receipt, "_verify", counting)
    client = Client(REMOTE_ADDR="192.0.2.200")
    codes = [
        submitted.receipt_code,  # right
        wrong(submitted.receipt_code),  # wrong secret
        "999999" + "1" * 16,  # unknown number (most likely)
        account_report.reference + "1" * 16,  # report filed with an account: no hash
    ]
    for code in codes:
        verifications.clear()
        client.post(FOLLOW, {"code": code})
        assert len(verifications) == 1, code
    for _ in range(ratelimit.CODE_PER_CLIENT.limit):
        client.post(FOLLOW, {"code": wrong(submitted.receipt_code)})
    verifications.clear()
    assert client.post(FOLLOW, {"code": submitted.receipt_code}).status_code == 429
    assert verifications == []


def test_there_is_no_per_report_number_limit():
    names = {name for name in dir(ratelimit) if name.isupper()}
    scopes = {getattr(ratelimit, name).scope for name in names}
    assert not any("reference" in scope for scope in scopes)
