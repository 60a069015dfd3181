"""Companies never learn who a candidate is before acceptance: not on any page, in any state,
not in the CSV (coordinator only) and not in any mail. Only when the student and the company
both accepted (a placement exists) does the company see the name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from stagekans.education.models import Student
from stagekans.notifications.models import OutboxMessage
from stagekans.rounds.models import Participant
from stagekans.rounds.services import participation, running
from stagekans.rounds.tests.conftest import placed_assignments, stage
from stagekans.rounds.workflow import RunKind
from stagekans.testing import rounds as r

pytestmark = pytest.mark.django_db

NAMES = [("Zorayda", "Vlasbloem"), ("Quirijn", "Tuinstra"), ("Ilse-Merel", "Ockeloen")]


def _identities(students):
    found = []
    for s in Student.objects.filter(pk__in=[s.pk for s in students]).select_related("user"):
        found += [s.given_name, s.family_name, s.student_number, s.postcode, s.user.email]
        found.append(s.date_of_birth.strftime("%d-%m-%Y"))
        found.append(s.user.username)
    return found


def _leaks(text, identities):
    return [i for i in identities if i and re.search(rf"(?<!\w){re.escape(i)}(?!\w)", text)]


def _world():
    w = r.world(students=3, companies=2)
    for student, (given, family) in zip(w.students, NAMES, strict=True):
        Student.objects.filter(pk=student.pk).update(given_name=given, family_name=family)
        student.refresh_from_db()
    return w


def _company_urls(round_pk):
    return [
        reverse("rounds:company_rounds"),
        reverse("rounds:company_round", kwargs={"pk": round_pk}),
        reverse("rounds:results_csv", kwargs={"pk": round_pk}),
        reverse("rounds:results", kwargs={"pk": round_pk}),
        reverse("rounds:proposal", kwargs={"pk": round_pk}),
        reverse("rounds:participants", kwargs={"pk": round_pk}),
        reverse("rounds:detail", kwargs={"pk": round_pk}),
    ]


def _check_company_view(client, s, identities):
    for trainer in s.w.trainers:
        client.force_login(trainer)
        for url in _company_urls(s.round.pk):
            response = client.get(url)
            body = response.content.decode(errors="replace")
            assert response.status_code in {200, 403}, url
            if "leerbedrijf" not in url:
                assert response.status_code == 403, url  # coordinator pages, CSV included
            assert not _leaks(body, identities), (url, _leaks(body, identities))


def test_company_never_sees_identity_before_acceptance(client, django_capture_on_commit_callbacks):
    w = _world()
    identities = _identities(w.students)
    s = stage(w, django_capture_on_commit_callbacks, "review")
    _check_company_view(client, s, identities)
    # The candidate list really shows the candidates (anonymised), with distinct references.
    client.force_login(w.trainers[0])
    body = client.get(reverse("rounds:company_round", kwargs={"pk": s.round.pk})).content.decode()
    references = set(re.findall(r"K-[0-9A-F]{6}", body))
    assert len(references) == 3
    # References are unlinkable across companies.
    client.force_login(w.trainers[1])
    other = client.get(reverse("rounds:company_round", kwargs={"pk": s.round.pk})).content.decode()
    assert not references & set(re.findall(r"K-[0-9A-F]{6}", other))

    with django_capture_on_commit_callbacks(execute=True):
        running.start_run(acting_user=w.coordinator, round_=s.round, kind=RunKind.REAL)
    s.round.refresh_from_db()
    running.publish_round(acting_user=w.coordinator, round_=s.round)
    s.round.refresh_from_db()
    _check_company_view(client, s, identities)

    # Student accepts: still anonymous to the company until it accepts too.
    assignment = placed_assignments(s)[0]
    student = assignment.participant.student
    participation.respond_as_student(acting_user=student.user, assignment=assignment, accept=True)
    _check_company_view(client, s, identities)

    # Every mail to a trainer is free of identities.
    trainer_mails = OutboxMessage.objects.filter(to__in=[t.email for t in w.trainers])
    assert trainer_mails.exists()
    for mail in trainer_mails:
        assert not _leaks(mail.subject + "\n" + mail.body, identities), mail.subject

    # Both accepted: the placement exists and the company now sees that one name only.
    trainer = w.trainers[w.companies.index(assignment.place.company)]
    participation.respond_as_company(acting_user=trainer, assignment=assignment, accept=True)
    client.force_login(trainer)
    body = client.get(reverse("rounds:company_round", kwargs={"pk": s.round.pk})).content.decode()
    assert f"{student.given_name} {student.family_name}" in body
    others = [x for x in identities if x not in _identities([student])]
    assert not _leaks(body, others)


def test_company_cannot_review_a_candidate_it_was_not_chosen_by(client, staged):
    s = staged("review")
    client.force_login(s.w.trainers[0])
    # A guessed reference or another company's place: 404, nothing written.
    url = reverse("rounds:company_review", kwargs={"pk": s.round.pk, "place_pk": s.places[1].pk})
    assert client.post(url, {"kandidaat": "K-000000", "acceptable": "1"}).status_code == 404
    url = reverse("rounds:company_review", kwargs={"pk": s.round.pk, "place_pk": s.places[0].pk})
    assert client.post(url, {"kandidaat": "K-000000", "acceptable": "1"}).status_code == 404
    assert not Participant.objects.filter(reviews__isnull=False).exists()
