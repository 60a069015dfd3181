"""Every round page × every role: who gets 200, who 403 (no permission), who 404 (not theirs),
and anonymous visitors a redirect to the login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.rounds.models import Assignment
from stagekans.rounds.tests.conftest import placed_assignments
from stagekans.testing import factories as f
from stagekans.testing import rounds as r

pytestmark = pytest.mark.django_db


def _users(s):
    other_world = r.world(students=1, companies=1)
    return {
        "anonymous": None,
        "coordinator": s.w.coordinator,
        "other_coordinator": other_world.coordinator,
        "student": s.w.student_users[0],
        "other_student": other_world.student_users[0],
        "trainer": s.w.trainers[0],
        "other_trainer": other_world.trainers[0],
        "analyst": f.UserFactory(role=Role.ANALYST),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
    }


def _status(client, user, url, method="get"):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url).status_code


COORDINATOR_PAGES = [
    "rounds:list",
    "rounds:create",
    ("rounds:detail", "pk"),
    ("rounds:progress", "pk"),
    ("rounds:place_add", "pk"),
    ("rounds:participants", "pk"),
    ("rounds:proposal", "pk"),
    ("rounds:results", "pk"),
    ("rounds:results_csv", "pk"),
    ("rounds:follow_up", "pk"),
]


def _url(spec, round_pk):
    if isinstance(spec, str):
        return reverse(spec)
    return reverse(spec[0], kwargs={"pk": round_pk})


def test_role_page_matrix(client, staged):
    s = staged("published")
    users = _users(s)
    pk = s.round.pk
    expected_coordinator = {
        "coordinator": 200,
        "other_coordinator": 404,
        "student": 403,
        "other_student": 403,
        "trainer": 403,
        "other_trainer": 403,
        "analyst": 403,
        "meldpunt": 403,
    }
    for spec in COORDINATOR_PAGES:
        url = _url(spec, pk)
        for role, user in users.items():
            status = _status(client, user, url)
            if role == "anonymous":
                assert status == 302, (url, role)
                continue
            want = expected_coordinator[role]
            if isinstance(spec, str) and role == "other_coordinator":
                want = 200  # their own list / create page
            assert status == want, (url, role, status)

    student_pages = [reverse("rounds:my_rounds"), reverse("rounds:my_round", kwargs={"pk": pk})]
    for url in student_pages:
        for role, user in users.items():
            status = _status(client, user, url)
            if role == "anonymous":
                assert status == 302
            elif role == "student":
                assert status == 200, (url, role)
            elif role == "other_student":
                assert status == (200 if url.endswith("/mijn/") else 404), (url, role)
            else:
                assert status == 403, (url, role, status)

    company_pages = [
        reverse("rounds:company_rounds"),
        reverse("rounds:company_round", kwargs={"pk": pk}),
    ]
    for url in company_pages:
        for role, user in users.items():
            status = _status(client, user, url)
            if role == "anonymous":
                assert status == 302
            elif role == "trainer":
                assert status == 200, (url, role)
            elif role == "other_trainer":
                assert status == (200 if url.endswith("/leerbedrijf/") else 404), (url, role)
            else:
                assert status == 403, (url, role, status)

    # POST endpoints refuse other roles the same way (nothing changes).
    placed = placed_assignments(s)[0]
    posts = [
        (reverse("rounds:action", kwargs={"pk": pk, "action": "sluiten"}), "coordinator"),
        (reverse("rounds:my_round_respond", kwargs={"pk": pk}), "student"),
        (
            reverse("rounds:company_respond", kwargs={"pk": pk, "assignment_pk": placed.pk}),
            "trainer",
        ),
    ]
    for url, owner in posts:
        for role, user in users.items():
            if role in {owner, "anonymous"}:
                continue
            assert _status(client, user, url, "post") in {403, 404}, (url, role)
    assert not Assignment.objects.exclude(student_response="pending").exists()


def test_coordinator_pages_render_in_every_state(client, staged):
    for until in ("open", "review", "proposal", "published"):
        s = staged(until, students=2, companies=1)
        client.force_login(s.w.coordinator)
        for spec in COORDINATOR_PAGES:
            url = _url(spec, s.round.pk)
            status = client.get(url).status_code
            not_yet = (
                spec[0] in {"rounds:results", "rounds:results_csv"} and until != "published"
            ) or (spec[0] == "rounds:proposal" and until in {"open", "review"})
            assert status == (404 if not_yet else 200), (until, url, status)


def test_proposal_page_queries_do_not_grow_with_rows(client, staged, django_assert_max_num_queries):
    s = staged("proposal", students=6, companies=3)
    client.force_login(s.w.coordinator)
    url = reverse("rounds:proposal", kwargs={"pk": s.round.pk})
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_support_needs_are_only_on_the_coordinator_page(client, staged):
    s = staged("review")
    need = "Ik heb dyslexie"
    client.force_login(s.w.coordinator)
    page = client.get(reverse("rounds:participants", kwargs={"pk": s.round.pk}))
    assert need in page.content.decode()
    for trainer in s.w.trainers:
        client.force_login(trainer)
        page = client.get(reverse("rounds:company_round", kwargs={"pk": s.round.pk}))
        assert need not in page.content.decode()


def test_create_form_rejects_bad_input_in_dutch_and_writes_nothing(client, staged):
    s = staged("open", students=1, companies=1)
    client.force_login(s.w.coordinator)
    response = client.post(
        reverse("rounds:create"),
        {
            "name": "Te laat",
            "programmes": [s.w.programme.pk],
            "period_start": "2030-03-01",
            "period_end": "2030-02-01",
            "strategy": "central",
            "proposing_side": "students",
            "tie_breaking": "stb",
            "max_distance_km": 30,
            "max_choices": 5,
            "priority_classes": 0,
            "preference_deadline": "2030-01-10",
            "review_deadline": "2030-01-05",
            "publication_date": "2030-01-20",
            "acceptance_deadline": "2030-01-25",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "De stage eindigt voor hij begint" in text
    assert "Leerbedrijven beoordelen na de termijn voor voorkeuren" in text
    from stagekans.rounds.models import MatchingRound

    assert not MatchingRound.objects.filter(name="Te laat").exists()


def test_progress_poll_reloads_the_page_when_the_run_has_ended(client, staged):
    s = staged("proposal", students=2, companies=1)
    client.force_login(s.w.coordinator)
    url = reverse("rounds:progress", kwargs={"pk": s.round.pk})
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "Bekijk het voorstel" in response.content.decode()
    assert "HX-Refresh" not in client.get(url)
