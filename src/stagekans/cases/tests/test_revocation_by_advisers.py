"""Issue 9, story 1: a decision whose measure is revocation asks SBB's advisers; adviser 1
proposes it on a page that shows only the anonymised decision; adviser 2 approves it. Role ×
page for the proposal page, and the register's list showing the asks."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.cases import services
from stagekans.cases.models import DecisionOutcome, Measure
from stagekans.register.models import RevocationRequest, RevocationState
from stagekans.testing import factories as f

REASONS = "Meerdere kandidaten met een migratieachtergrond werden zonder gesprek afgewezen."


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def asked(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons=REASONS,
        measure=Measure.REVOCATION,
    )
    return case, decision


ROLE_STATUS = {
    "anon": 302,
    "student": 403,
    "staff": 403,
    "trainer": 403,
    "advisor": 200,
    "investigator": 403,
    "team_lead": 403,
    "meldpunt": 403,
    "analyst": 403,
    "admin": 403,
}


def _user(world, role: str):
    return {
        "anon": None,
        "student": f.student_user(f.StudentFactory()),
        "staff": world.staff,
        "trainer": world.trainer,
        "advisor": world.advisor,
        "investigator": world.investigator,
        "team_lead": f.UserFactory(role=Role.SBB_TEAM_LEAD),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }[role]


@pytest.mark.parametrize("role", list(ROLE_STATUS))
def test_proposal_page_by_role(world, asked, role):
    _case, decision = asked
    url = reverse("cases:revocation_ask", kwargs={"decision_pk": decision.pk})
    response = _client(_user(world, role)).get(url)
    assert response.status_code == ROLE_STATUS[role]
    post = _client(_user(world, role)).post(url, {"reason": REASONS})
    if role == "advisor":
        assert post.status_code == 302
    else:
        assert post.status_code == ROLE_STATUS[role]
        assert not RevocationRequest.objects.exists()


def test_register_lists_the_ask_and_adviser_one_proposes(world, asked):
    case, decision = asked
    client = _client(world.proposing_advisor)
    listing = client.get(reverse("register:revocation_list")).content.decode()
    assert case.number in listing and f"/B{decision.pk}" in listing
    url = reverse("cases:revocation_ask", kwargs={"decision_pk": decision.pk})
    page = client.get(url).content.decode()
    assert REASONS in page  # prefilled from the decision
    assert world.company.name in page
    # Bad input writes nothing and says why in Dutch.
    bad = client.post(url, {"reason": "kort"})
    assert bad.status_code == 400
    assert "ten minste 20 tekens" in bad.content.decode()
    assert not RevocationRequest.objects.exists()
    done = client.post(url, {"reason": REASONS})
    assert done.status_code == 302 and done["Location"] == reverse("register:revocation_list")
    revocation = RevocationRequest.objects.get()
    assert revocation.requested_by == world.proposing_advisor
    assert revocation.state == RevocationState.PENDING
    # Once proposed, the ask is gone: the page answers 404 and the list no longer offers it.
    assert client.get(url).status_code == 404
    listing = client.get(reverse("register:revocation_list")).content.decode()
    assert "Geen besluiten die op een voorstel tot intrekking wachten" in listing
    # Adviser 1 sees it pending but cannot confirm; adviser 2 can.
    confirm = reverse("register:revocation_confirm", args=[revocation.pk])
    assert "zelf voorgesteld" in client.get(confirm).content.decode()
    own = client.post(
        reverse("register:revocation_approve", args=[revocation.pk]), {"bevestigd": "1"}
    )
    assert own.status_code == 302
    revocation.refresh_from_db()
    assert revocation.state == RevocationState.PENDING
    _client(world.advisor).post(
        reverse("register:revocation_approve", args=[revocation.pk]), {"bevestigd": "1"}
    )
    revocation.refresh_from_db()
    assert revocation.state == RevocationState.APPROVED
    assert revocation.decided_by == world.advisor


def test_no_ask_for_other_measures(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons=REASONS,
        measure=Measure.NONE,
    )
    url = reverse("cases:revocation_ask", kwargs={"decision_pk": decision.pk})
    assert _client(world.advisor).get(url).status_code == 404


def test_proposal_page_names_the_schools_of_the_case_and_the_vacancies(world, asked):
    _case, decision = asked
    url = reverse("cases:revocation_ask", kwargs={"decision_pk": decision.pk})
    html = _client(world.advisor).get(url).content.decode()
    assert "1 school krijgt een taak om een vervangende stageplek te zoeken" in html
    assert world.school.name in html
    assert "gepubliceerde vacature wordt ingetrokken" in html
