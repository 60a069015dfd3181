"""Demo matching rounds (issue 12) for the demo coordinator's school, built through the round
services acting as the demo users:

* a published round with results: the engine ran, the proposal is published, some students
  accepted (one at the demo trainer's company, who accepted too: a placement exists), some
  declined and the rest has not answered yet;
* a round in progress (open for preferences): every participant has ranked places (the demo
  student too, with an anonymised profile and a private support need), and the demo trainer's
  company has candidates waiting for review.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from stagekans.companies.models import Company, Location
from stagekans.education.models import Programme, Student
from stagekans.geo.places import haversine_km
from stagekans.register import services as register_services
from stagekans.register.selectors import is_validly_recognised, valid_recognitions
from stagekans.register.workflow import ALL_CONDITIONS_MET
from stagekans.rounds import selectors
from stagekans.rounds.models import Assignment, MatchingRound, Participant
from stagekans.rounds.services import participation, running, setup
from stagekans.rounds.workflow import RunKind

COMPETENCES = [
    "Nauwkeurig en rustig onder druk; ervaring met klantcontact in een bijbaan.",
    "Goed in plannen en samenwerken; vrijwilliger bij de sportvereniging.",
    "Leergierig, technisch handig en stipt op tijd.",
    "Communicatief sterk; hielp twee jaar in een buurthuis.",
]
MOTIVATION = [
    "Ik wil in de praktijk leren hoe het vak echt gaat.",
    "Deze plek past bij wat ik later wil doen.",
    "Ik zoek een team waar ik veel kan meedoen en vragen mag stellen.",
]


class DemoRounds:
    def __init__(self, users: dict[str, Any], rng: random.Random) -> None:
        self.rng = rng
        self.coordinator = users["stagecoordinator"]
        self.trainer = users["praktijkopleider"]
        self.student_user = users["student"]
        self.school = self.coordinator.school_staff.school
        self.trainer_company: Company = self.trainer.trainer.company
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, int]:
        demo_student = Student.objects.filter(user=self.student_user).first()
        programmes = list(
            Programme.objects.filter(school=self.school).select_related("qualification")
        )
        own = next(
            (p for p in programmes if demo_student and p.pk == demo_student.programme_id), None
        )
        busiest = sorted((p for p in programmes if p != own), key=lambda p: -p.students.count())
        if busiest:
            self._published(busiest[0])
        if own is not None:
            self._in_progress(own, demo_student)
        self.counts["matchingrondes"] = MatchingRound.objects.count()
        return self.counts

    # -- places ---------------------------------------------------------------------------------
    def _recognise_trainer_company(self, programme: Programme) -> None:
        qualification = programme.qualification
        if is_validly_recognised(self.trainer_company, qualification.pk):
            return
        recognition = register_services.request_recognition(
            acting_user=None,
            company=self.trainer_company,
            qualification=qualification,
            reason="Aanvraag voor de matchingronde van de school (demo)",
        )
        register_services.grant_recognition(
            acting_user=None,
            recognition=recognition,
            reason="Voldoet aan de vijf voorwaarden (demo)",
            conditions=ALL_CONDITIONS_MET,
        )

    def _network_places(self, round_: MatchingRound, programme: Programme, count: int) -> None:
        students = Student.objects.filter(programme=programme)
        lat = sum(s.latitude for s in students) / max(students.count(), 1)
        lon = sum(s.longitude for s in students) / max(students.count(), 1)
        recognised = valid_recognitions(on=round_.period_start).filter(
            qualification=programme.qualification
        )
        locations = list(
            Location.objects.filter(company_id__in=recognised.values("company_id"))
            .exclude(company=self.trainer_company)
            .select_related("company")
        )
        locations.sort(key=lambda loc: haversine_km(lat, lon, loc.latitude, loc.longitude))
        own = self._trainer_location_near(programme)
        chosen = [own, *locations[: count - 1]]
        for location in chosen:
            setup.add_network_place(
                acting_user=self.coordinator,
                round_=round_,
                location=location,
                qualification=programme.qualification,
                capacity=self.rng.choice([1, 2, 2, 3]),
            )
        setup.add_vacancy_places(acting_user=self.coordinator, round_=round_)

    def _trainer_location_near(self, programme: Programme) -> Location:
        """The demo trainer's company has a branch where the programme's students live."""
        from stagekans.companies import services as company_services

        student = Student.objects.filter(programme=programme).order_by("id").first()
        postcode = student.postcode if student else "3511 AB"
        existing = Location.objects.filter(
            company=self.trainer_company, postcode=postcode, street="Stationsplein"
        ).first()
        if existing is not None:
            return existing
        return company_services.add_location(
            acting_user=None,
            company=self.trainer_company,
            street="Stationsplein",
            house_number="12",
            postcode=postcode,
            place=self.school.place,
            name="Vestiging bij de school",
        )

    def _new_round(self, name: str, programme: Programme, start_in: int) -> MatchingRound:
        start = self.today + dt.timedelta(days=start_in)
        return setup.create_round(
            acting_user=self.coordinator,
            school=self.school,
            name=name,
            programmes=[programme],
            period_start=start,
            period_end=start + dt.timedelta(days=140),
            strategy="central",
            tie_breaking="stb",
            seed=self.rng.randrange(2**40),
            max_distance_km=80,
            max_choices=5,
            priority_classes=1,
            favour_support_needs=True,
            preference_deadline=self.today + dt.timedelta(days=7),
            review_deadline=self.today + dt.timedelta(days=14),
            publication_date=self.today + dt.timedelta(days=21),
            acceptance_deadline=self.today + dt.timedelta(days=28),
        )

    def _rank_everyone(self, round_: MatchingRound, demo_student: Student | None) -> None:
        for participant in Participant.objects.filter(round=round_).select_related(
            "student__programme", "round"
        ):
            places = selectors.eligible_places(participant)
            if not places:
                continue
            own = demo_student is not None and participant.student_id == demo_student.pk
            acting = self.student_user if own else self.coordinator
            if own or self.rng.random() < 0.5:
                participation.save_profile(
                    acting_user=acting,
                    participant=participant,
                    competences=self.rng.choice(COMPETENCES),
                    motivation=self.rng.choice(MOTIVATION),
                    availability="maandag tot en met donderdag",
                    support_needs="Ik heb dyslexie; schriftelijke instructies helpen mij."
                    if own
                    else "",
                    support_features=1 if own else 0,
                )
            trainer = [row for row in places if row.place.company_id == self.trainer_company.pk]
            near = trainer[:1] + [row for row in places[:8] if row not in trainer[:1]]
            # The trainer's company is a favourite, so it has candidates to review.
            trainer_first = sorted(
                near,
                key=lambda row: (
                    row.place.company_id != self.trainer_company.pk,
                    self.rng.random(),
                ),
            )
            take = min(len(trainer_first), self.rng.randint(2, round_.max_choices))
            participation.save_preferences(
                acting_user=acting,
                participant=participant,
                place_ids=[row.place.pk for row in trainer_first[:take]],
            )

    # -- rounds ---------------------------------------------------------------------------------
    def _published(self, programme: Programme) -> None:
        self._recognise_trainer_company(programme)
        round_ = self._new_round(
            f"Stageronde {programme.qualification.title} (voorjaar)", programme, start_in=60
        )
        self._network_places(round_, programme, count=8)
        setup.open_round(acting_user=self.coordinator, round_=round_)
        self._rank_everyone(round_, None)
        round_.refresh_from_db()
        for candidate in selectors.candidates_for_company(round_, self.trainer_company)[:1]:
            participation.review_candidate(
                acting_user=self.trainer,
                place=candidate.place,
                participant=Participant.objects.get(pk=candidate.participant_id),
                acceptable=False,
                reason="availability",
            )
        setup.close_preferences(acting_user=self.coordinator, round_=round_)
        for kind in (RunKind.TRIAL, RunKind.REAL):
            round_.refresh_from_db()
            run = running.start_run(acting_user=self.coordinator, round_=round_, kind=kind)
            # Run here; the task queued after commit finds the run done and does nothing.
            running.execute_run(run_id=run.pk)
        round_.refresh_from_db()
        running.publish_round(acting_user=self.coordinator, round_=round_)
        round_.refresh_from_db()
        placed = list(
            Assignment.objects.filter(run_id=round_.current_run_id, place__isnull=False)
            .select_related("place", "participant")
            .order_by("id")
        )
        at_trainer = [
            a for a in placed if a.place and a.place.company_id == self.trainer_company.pk
        ]
        for assignment in at_trainer[:1]:
            participation.respond_as_student(
                acting_user=self.coordinator, assignment=assignment, accept=True
            )
            participation.respond_as_company(
                acting_user=self.trainer, assignment=assignment, accept=True
            )
        others = [a for a in placed if a not in at_trainer]
        for assignment in others[: len(others) // 2]:
            participation.respond_as_student(
                acting_user=self.coordinator,
                assignment=assignment,
                accept=self.rng.random() < 0.75,
            )
        self.counts["gepubliceerde ronde: toewijzingen"] = len(placed)

    def _in_progress(self, programme: Programme, demo_student: Student | None) -> None:
        self._recognise_trainer_company(programme)
        round_ = self._new_round(
            f"Stageronde {programme.qualification.title} (najaar)", programme, start_in=120
        )
        self._network_places(round_, programme, count=8)
        setup.open_round(acting_user=self.coordinator, round_=round_)
        round_.refresh_from_db()
        self._rank_everyone(round_, demo_student)
        self.counts["lopende ronde: te beoordelen kandidaten"] = selectors.pending_reviews(
            self.trainer_company
        )


def build_rounds(rng: random.Random) -> dict[str, int]:
    from stagekans.accounts.models import User

    users = {u.username: u for u in User.objects.filter(email__endswith="@demo.stagekans.nl")}
    return DemoRounds(users, rng).build()
