"""Privacy review of the meldpunt: statistics differencing (3), proxy-aware rate limits (5) and
the timing oracle on report numbers (6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import numpy as np
import pytest
from argon2 import PasswordHasher, extract_parameters
from django.test import Client, RequestFactory
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.geo.places import Province
from stagekans.meldpunt import ratelimit, receipt, selectors, services
from stagekans.meldpunt.models import Report
from stagekans.meldpunt.views import CODE_LIMIT
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
FOLLOW = "/meldpunt/volgen/"
STATISTICS = "/meldpunt/statistiek/"


# --- 6: every receipt-code look-up costs exactly one Argon2 verification -----------------------


@pytest.fixture
def argon2_verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every PasswordHasher.verify call (the real one still runs), by the hash it checked."""
    calls: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        calls.append(hash if isinstance(hash, str) else hash.decode())
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    return calls


def _unused_reference() -> str:
    reference = 100000
    while Report.objects.filter(reference=str(reference)).exists():
        reference += 1
    return str(reference)


def _erased_report_code() -> str:
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    submitted = f.submit_report(contact=services.ContactDetails(email="weg@example.nl"))
    report = submitted.report
    services.start_triage(acting_user=meldpunt, report=report)
    services.register_only(acting_user=meldpunt, report=report)
    services.send_message_to_reporter(acting_user=meldpunt, report=report, body="Geregistreerd.")
    services.close_report(acting_user=meldpunt, report=report)
    Report.objects.filter(pk=report.pk).update(closed_at=timezone.now() - dt.timedelta(days=800))
    assert services.erase_expired_contacts() == 1
    report.refresh_from_db()
    assert report.receipt_code_hash == ""
    return str(submitted.receipt_code)


def test_account_report_number_costs_one_argon2_verification(argon2_verifications):
    student_user = f.student_user(f.StudentFactory())
    report = f.submit_report(acting_user=student_user).report
    assert report.receipt_code_hash == ""
    argon2_verifications.clear()

    assert selectors.find_by_receipt_code(report.reference + "1234567890123456") is None
    assert len(argon2_verifications) == 1
    assert argon2_verifications[0] == receipt.dummy_hash()


def test_unknown_report_number_costs_one_argon2_verification(argon2_verifications):
    f.submit_report()
    argon2_verifications.clear()

    assert selectors.find_by_receipt_code(_unused_reference() + "1234567890123456") is None
    assert argon2_verifications == [receipt.dummy_hash()]


def test_erased_report_number_costs_one_argon2_verification(argon2_verifications):
    code = _erased_report_code()
    argon2_verifications.clear()

    assert selectors.find_by_receipt_code(code) is None
    assert argon2_verifications == [receipt.dummy_hash()]


def test_anonymous_report_codes_cost_one_argon2_verification(argon2_verifications):
    submitted = f.submit_report()
    digits = submitted.receipt_code.replace("-", "")
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    argon2_verifications.clear()

    assert selectors.find_by_receipt_code(submitted.receipt_code) == submitted.report
    assert selectors.find_by_receipt_code(wrong) is None
    assert argon2_verifications == [submitted.report.receipt_code_hash] * 2


def test_dummy_hash_has_the_parameters_of_real_hashes():
    real = receipt.hash_secret(receipt.new_secret())
    assert extract_parameters(receipt.dummy_hash()) == extract_parameters(real)
    assert receipt.dummy_hash() == receipt.dummy_hash()  # fixed: made once per process


# --- 5: rate limits key on the client behind our proxies, not on the proxy -------------------

PROXY = "10.0.0.5"


def _request(forwarded_for: str | None = None, remote: str = PROXY) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(_request("203.0.113.7")) == PROXY
    assert ratelimit.client_key(_request("203.0.113.7")) == ratelimit.client_key(
        _request("198.51.100.8")
    )
    assert ratelimit.client_key(_request(remote="192.0.2.1")) != ratelimit.client_key(
        _request(remote="192.0.2.2")
    )


def test_with_trusted_proxies_the_client_is_count_hops_from_the_right(settings):
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(_request("203.0.113.7")) == "203.0.113.7"
    assert ratelimit.client_address(_request("1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert ratelimit.client_address(_request("2001:DB8::0:1")) == "2001:db8::1"
    # No header, or garbage where our proxy writes: all such requests share the proxy's bucket.
    assert ratelimit.client_address(_request()) == PROXY
    assert ratelimit.client_address(_request("1.2.3.4, nonsense")) == PROXY
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(_request("1.2.3.4, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    assert ratelimit.client_address(_request("203.0.113.7")) == PROXY  # bypassed a proxy


def test_client_key_is_a_salted_hash_of_the_client_address(settings):
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 1
    key = ratelimit.client_key(_request("203.0.113.7"))
    assert "203.0.113.7" not in key and len(key) == 40
    assert key == ratelimit.client_key(_request("9.9.9.9, 203.0.113.7"))
    assert key != ratelimit.client_key(_request("203.0.113.8"))


def _fail_code_lookups(client: Client, times: int, forwarded_for: Any) -> list[int]:
    statuses = []
    for i in range(times):
        # A fresh (well-formed, unknown) report number each time: only the client limit counts.
        code = f"{200000 + i}" + "0" * 16
        response = client.post(FOLLOW, {"code": code}, HTTP_X_FORWARDED_FOR=forwarded_for(i))
        statuses.append(response.status_code)
    return statuses


def test_clients_behind_the_proxy_have_their_own_limit(settings):
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=PROXY)
    statuses = _fail_code_lookups(client, CODE_LIMIT + 1, lambda i: "203.0.113.7")
    assert statuses[:CODE_LIMIT] == [400] * CODE_LIMIT and statuses[-1] == 429
    # Another student behind the same TLS proxy is not locked out by the first one.
    assert _fail_code_lookups(client, 1, lambda i: "198.51.100.20") == [400]


def test_spoofed_leftmost_forwarded_for_does_not_evade_the_limit(settings):
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=PROXY)
    statuses = _fail_code_lookups(client, CODE_LIMIT + 3, lambda i: f"192.0.2.{i + 1}, 203.0.113.7")
    assert statuses[:CODE_LIMIT] == [400] * CODE_LIMIT
    assert statuses[CODE_LIMIT:] == [429, 429, 429]


# --- 3: statistics are published per complete calendar year only ------------------------------


def _received(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))


def _reports(user: Any, province: str, on: dt.date, n: int) -> None:
    for _ in range(n):
        report = f.submit_report(acting_user=user, province=province).report
        Report.objects.filter(pk=report.pk).update(received_at=_received(on))


@pytest.fixture
def reviewer_data() -> Any:
    """The reviewer's shape: Utrecht has a small February 2025 (hidden) and a publishable total."""
    user = f.student_user(f.StudentFactory())
    for month, counts in {
        2: {Province.UTRECHT: 2, Province.NOORD_HOLLAND: 6, Province.ZUID_HOLLAND: 6},
        6: {Province.UTRECHT: 6, Province.NOORD_HOLLAND: 2, Province.ZUID_HOLLAND: 6},
        10: {Province.UTRECHT: 6, Province.NOORD_HOLLAND: 6, Province.ZUID_HOLLAND: 6},
    }.items():
        for province, n in counts.items():
            _reports(user, province, dt.date(2025, month, 10), n)
    return user


def _freeze_today(monkeypatch: pytest.MonkeyPatch, today: dt.date) -> None:
    moment = _received(today)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_published_table_never_changes_once_its_year_has_ended(settings, reviewer_data):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = 5
    first = selectors.published_statistics("province", year=2025, k=5, today=dt.date(2026, 1, 31))
    assert first.cells[first.row_labels.index("Utrecht")][1] is None  # the hidden 2
    # Later reports (in the next year) and later days do not touch the 2025 table.
    _reports(reviewer_data, Province.UTRECHT, dt.date(2026, 1, 20), 3)
    _reports(reviewer_data, Province.UTRECHT, dt.date(2026, 2, 1), 1)
    for today in (dt.date(2026, 2, 1), dt.date(2026, 12, 31), dt.date(2027, 6, 1)):
        assert selectors.published_statistics("province", year=2025, k=5, today=today) == first
    # The default (newest) year is the same all through 2026, and the running year is never
    # published.
    assert selectors.published_years(dt.date(2026, 1, 1))[0] == 2025
    assert selectors.published_years(dt.date(2026, 12, 31))[0] == 2025
    assert selectors.published_years(dt.date(2026, 12, 31)) == [2025]
    with pytest.raises(ValueError):
        selectors.report_counts("province", year=2026, today=dt.date(2026, 12, 31))


def _published_pages(client: Client, dimension: str) -> list[dict[str, Any]]:
    """Every table the page offers on the current day (each selectable period)."""
    first = client.get(STATISTICS, {"indeling": dimension})
    assert first.status_code == 200
    pages = [first.context]
    for year in first.context.get("years", [])[1:]:
        response = client.get(STATISTICS, {"indeling": dimension, "jaar": year})
        assert response.status_code == 200
        pages.append(response.context)
    return pages


def _determined(pages: list[dict[str, Any]], target: tuple[str, dt.date]) -> bool:
    """Can `target` (row label, month) be computed from everything published in `pages`?

    Unknowns are the true counts per (row, month); every published cell, row total, column
    total and grand total of every page is one linear equation. The target is determined iff its
    unit vector lies in the row space of the equations (rank test), i.e. by differencing.
    """
    variables: dict[tuple[str, dt.date], int] = {}
    for page in pages:
        for row in page["rows"]:
            for month in page["months"]:
                variables.setdefault((row["label"], month), len(variables))
    equations = []

    def equation(keys: list[tuple[str, dt.date]]) -> None:
        vector = np.zeros(len(variables))
        for key in keys:
            vector[variables[key]] = 1.0
        equations.append(vector)

    for page in pages:
        months, rows = page["months"], page["rows"]
        for row in rows:
            for month, value in zip(months, row["cells"], strict=True):
                if value is not None:
                    equation([(row["label"], month)])
            if row["total"] is not None:
                equation([(row["label"], m) for m in months])
        for month, value in zip(months, page["column_totals"], strict=True):
            if value is not None:
                equation([(row["label"], month) for row in rows])
        if page["grand_total"] is not None:
            equation([(row["label"], m) for row in rows for m in months])
    if target not in variables:
        return False
    system = np.array(equations)
    unit = np.zeros(len(variables))
    unit[variables[target]] = 1.0
    return bool(np.linalg.matrix_rank(np.vstack([system, unit])) == np.linalg.matrix_rank(system))


def test_differencing_two_days_does_not_recover_a_hidden_cell(settings, monkeypatch, reviewer_data):
    """The reviewer's attack: read the page on 31-01-2026 and on 01-02-2026 and subtract."""
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = 5
    client = Client()
    analyst = f.UserFactory(role=Role.ANALYST)
    seen: list[dict[str, Any]] = []
    for today in (dt.date(2026, 1, 31), dt.date(2026, 2, 1)):
        _freeze_today(monkeypatch, today)
        client.force_login(analyst)  # a session lasts at most 12 hours: a new one each day
        seen.extend(_published_pages(client, "province"))
    target = ("Utrecht", dt.date(2025, 2, 1))
    hidden_somewhere = any(
        target[1] in page["months"]
        and next(r for r in page["rows"] if r["label"] == "Utrecht")["cells"][
            page["months"].index(target[1])
        ]
        is None
        for page in seen
    )
    assert hidden_somewhere
    assert not _determined(seen, target)
    # Both days publish exactly the same table for the same (ended) year.
    assert seen[0]["year"] == seen[1]["year"] == 2025
    assert seen[0]["rows"] == seen[1]["rows"]


def test_csv_has_exactly_the_period_and_suppression_of_the_page(
    settings, monkeypatch, reviewer_data
):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = 5
    _reports(reviewer_data, Province.UTRECHT, dt.date(2024, 5, 5), 7)
    _freeze_today(monkeypatch, dt.date(2026, 3, 15))
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    for year in (2025, 2024):
        page = client.get(STATISTICS, {"indeling": "province", "jaar": year}).context
        assert page["year"] == year
        export = client.get(STATISTICS, {"indeling": "province", "jaar": year, "formaat": "csv"})
        assert f"meldingen-province-{year}.csv" in export["Content-Disposition"]
        lines = list(csv.reader(io.StringIO(export.content.decode())))
        assert lines[0][1:-1] == [f"{year}-{m:02d}" for m in range(1, 13)]

        def shown(value: Any) -> str:
            return "afgeschermd" if value is None else str(value)

        expected = [
            [row["label"], *map(shown, row["cells"]), shown(row["total"])] for row in page["rows"]
        ]
        expected.append(["totaal", *map(shown, page["column_totals"]), shown(page["grand_total"])])
        assert lines[1:] == expected
    # The running year cannot be asked for: the page falls back to the last complete year.
    assert client.get(STATISTICS, {"jaar": 2026}).context["year"] == 2025


# --- breakdowns of one year share their month totals and grand total -------------------------


def test_breakdowns_of_one_year_publish_the_same_month_totals(settings, reviewer_data):
    """Phase, sector and province count the same reports: one margin, one suppression."""
    from stagekans.meldpunt.models import Ground, Phase

    user = reviewer_data
    for _ in range(3):  # a small month: its total is hidden in every breakdown
        report = f.submit_report(acting_user=user, phase=Phase.RECRUITMENT).report
        Report.objects.filter(pk=report.pk).update(received_at=_received(dt.date(2025, 4, 3)))
    report = f.submit_report(acting_user=user, grounds=[Ground.ORIGIN, Ground.AGE]).report
    Report.objects.filter(pk=report.pk).update(received_at=_received(dt.date(2025, 10, 3)))
    k, today = 5, dt.date(2026, 3, 1)
    published = {
        d: selectors.published_statistics(d, year=2025, k=k, today=today)
        for d in ("phase", "sector", "province", "ground")
    }
    shared = [published[d] for d in ("phase", "sector", "province")]
    assert shared[0].column_totals[3] is None  # April: 3 reports
    for table in shared[1:]:
        assert table.column_totals == shared[0].column_totals
        assert table.grand_total == shared[0].grand_total
    # The ground table counts a report with two grounds twice: other margins, not shared.
    ground_counts = selectors.report_counts("ground", year=2025, today=today).counts
    phase_counts = selectors.report_counts("phase", year=2025, today=today).counts
    assert (ground_counts.sum(axis=0) != phase_counts.sum(axis=0)).any()

    # Everything published about 2025 in the three breakdowns together, plus what anyone knows
    # (each breakdown counts the same reports per month), determines no hidden cell.
    variables: dict[tuple[str, int, int], int] = {}
    for table in shared:
        for i in range(len(table.row_labels)):
            for j in range(12):
                variables[(table.dimension, i, j)] = len(variables)
    equations = []

    def equation(terms: list[tuple[tuple[str, int, int], float]]) -> None:
        vector = np.zeros(len(variables))
        for key, coefficient in terms:
            vector[variables[key]] += coefficient
        equations.append(vector)

    rows_of = {table.dimension: range(len(table.row_labels)) for table in shared}
    for table in shared:
        d = table.dimension
        for i, row in enumerate(table.cells):
            for j, value in enumerate(row):
                if value is not None:
                    equation([((d, i, j), 1.0)])
            if table.row_totals[i] is not None:
                equation([((d, i, j), 1.0) for j in range(12)])
        for j, value in enumerate(table.column_totals):
            if value is not None:
                equation([((d, i, j), 1.0) for i in rows_of[d]])
        if table.grand_total is not None:
            equation([((d, i, j), 1.0) for i in rows_of[d] for j in range(12)])
    for j in range(12):
        for other in ("sector", "province"):
            equation(
                [(("phase", i, j), 1.0) for i in rows_of["phase"]]
                + [((other, i, j), -1.0) for i in rows_of[other]]
            )
    system = np.array(equations)
    rank = np.linalg.matrix_rank(system)
    hidden = [
        (table.dimension, i, j)
        for table in shared
        for i, row in enumerate(table.cells)
        for j, value in enumerate(row)
        if value is None
    ]
    assert hidden
    for key in hidden:
        unit = np.zeros(len(variables))
        unit[variables[key]] = 1.0
        assert np.linalg.matrix_rank(np.vstack([system, unit])) > rank, key
