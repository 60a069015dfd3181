"""Demo placements (issue 11), built through the placements services: signed and unsigned
POKs, a minor with a guardian's signature, a bpv-blad (version 2) out for signing and one
fully signed, contacts on time and overdue, and a request for contact. The demo student,
praktijkopleider and stagecoördinator each see filled screens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.accounts.roles import Role
from stagekans.accounts.services import create_user
from stagekans.companies import services as company_services
from stagekans.companies.models import Company, Location
from stagekans.education import services as education_services
from stagekans.education.models import SchoolStaff, Student
from stagekans.placements.due import next_contact_due
from stagekans.placements.models import Placement
from stagekans.placements.schoolholidays import region_of_province
from stagekans.placements.services import agreements, supervision
from stagekans.placements.services.agreements import AgreementTerms, age_on
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import RUNNING, ContactKind, PlacementSource
from stagekans.register import services as register_services
from stagekans.register.models import Recognition
from stagekans.register.selectors import is_validly_recognised, valid_recognitions
from stagekans.register.workflow import ALL_CONDITIONS_MET

WORK_PROCESSES = {
    "zorg": "B1-K1-W1 Onderkent de gezondheidstoestand van de zorgvrager\n"
    "B1-K1-W3 Voert verpleegtechnische handelingen uit\nB1-K2-W1 Werkt samen met collega's",
    "default": "B1-K1-W1 Bereidt de werkzaamheden voor\nB1-K1-W2 Voert de werkzaamheden uit\n"
    "B1-K2-W1 Overlegt en rapporteert",
}


class PlacementDemo:
    def __init__(self, builder: Any) -> None:
        self.b = builder
        self.rng = builder.rng
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}
        self._trainers: dict[int, User] = {}

    # -- people ----------------------------------------------------------------------------
    def _student_user(self, student: Student) -> User:
        if student.user is not None:
            return student.user
        user = create_user(
            acting_user=None,
            username=f"stagiair{student.student_number}",
            email=f"stagiair{student.student_number}@demo.stagekans.nl",
            password=None,
            role=Role.STUDENT,
            first_name=student.given_name,
            last_name=student.family_name,
        )
        student.user = user
        student.save(update_fields=["user"])
        return user

    def _trainer(self, company: Company) -> User:
        existing = company.trainers.select_related("user").order_by("id").first()
        if existing is not None:
            return existing.user
        if company.pk not in self._trainers:
            user = create_user(
                acting_user=None,
                username=f"opleider{company.kvk_number}",
                email=f"opleider{company.kvk_number}@demo.stagekans.nl",
                password=None,
                role=Role.COMPANY_TRAINER,
                first_name=self.b.fake.first_name(),
                last_name=self.b.fake.last_name(),
            )
            company_services.add_trainer(acting_user=None, company=company, user=user)
            self._trainers[company.pk] = user
        return self._trainers[company.pk]

    def _recognise(self, company: Company, student: Student, on: dt.date) -> bool:
        """Make sure `company` is recognised for the student's qualification on `on` (only
        when it has no recognition for it yet); False when that cannot be done."""
        qualification = student.programme.qualification
        if is_validly_recognised(company, qualification.pk, on=on):
            return True
        if Recognition.objects.filter(company=company, qualification=qualification).exists():
            return False
        recognition = register_services.request_recognition(
            acting_user=None,
            company=company,
            qualification=qualification,
            reason="Aanvraag leerbedrijf (demo)",
        )
        register_services.grant_recognition(
            acting_user=None,
            recognition=recognition,
            reason="Voldoet aan de vijf erkenningsvoorwaarden (demo)",
            conditions=ALL_CONDITIONS_MET,
            valid_from=on - dt.timedelta(days=365),
        )
        return True

    def _take(
        self, pool: list[Student], start: dt.date, exclude: Company | None = None
    ) -> tuple[Student, Company] | None:
        """The first student of `pool` with a company recognised for their qualification from
        `start` until today (removed from the pool), and that company."""
        for index, student in enumerate(pool):
            later = max(start, self.today)
            ids = (
                valid_recognitions(start)
                .filter(qualification_id=student.programme.qualification_id)
                .values_list("company_id", flat=True)
            )
            companies = (
                Company.objects.filter(pk__in=list(ids))
                .filter(
                    pk__in=valid_recognitions(later)
                    .filter(qualification_id=student.programme.qualification_id)
                    .values("company_id")
                )
                .exclude(pk__in=[exclude.pk] if exclude else [])
                .order_by("id")
            )
            company = (
                companies[self.rng.randrange(companies.count())] if companies.exists() else None
            )
            if company is not None:
                del pool[index]
                return student, company
        return None

    # -- one placement ----------------------------------------------------------------------
    def _place(
        self,
        *,
        student: Student,
        company: Company,
        staff: SchoolStaff,
        start: dt.date,
        end: dt.date,
    ) -> Placement:
        location = Location.objects.filter(company=company).order_by("id").first()
        assert location is not None
        trainer = self._trainer(company)
        return create_placement(
            acting_user=staff.user,
            student=student,
            location=location,
            start_date=start,
            end_date=end,
            source=PlacementSource.SCHOOL,
            trainer=trainer.trainer,
            supervisor=staff,
        )

    def _terms(self, placement: Placement, **overrides: Any) -> AgreementTerms:
        sector = placement.qualification.sector
        values: dict[str, Any] = {
            "start_date": placement.start_date,
            "end_date": placement.end_date,
            "hours": self.rng.choice([480, 640, 800, 960]),
            "work_processes": WORK_PROCESSES.get(sector, WORK_PROCESSES["default"]),
            "assessment": "Praktijkbeoordeling door de praktijkopleider, besproken met de "
            "bpv-begeleider in het eindgesprek; het portfolio telt mee.",
            "contact_every_weeks": 4,
            "min_site_visits": 2,
            "weekdays": self.rng.choice([1 | 2 | 4, 2 | 4 | 8, 1 | 2 | 4 | 8]),
        }
        values.update(overrides)
        return AgreementTerms(**values)

    def _sign(self, placement: Placement, agreement: Any, parties: tuple[str, ...]) -> None:
        staff_user = placement.supervisor.user if placement.supervisor else None
        users = {
            "student": self._student_user(placement.student),
            "company": placement.trainer.user if placement.trainer else None,
            "school": staff_user,
        }
        for party in parties:
            if party == "guardian":
                agreements.record_guardian_signature(
                    acting_user=staff_user,
                    agreement=agreement,
                    guardian_name=f"{self.b.fake.first_name()[0]}. {placement.student.family_name}",
                    signed_on=min(self.today, placement.start_date - dt.timedelta(days=7)),
                )
            else:
                agreements.sign_agreement(acting_user=users[party], agreement=agreement)

    def _pok(
        self,
        placement: Placement,
        *,
        signed: bool = True,
        sent: bool = True,
        parties: tuple[str, ...] = ("student", "company", "school"),
        **terms: Any,
    ) -> Any:
        staff_user = placement.supervisor.user if placement.supervisor else None
        agreement = agreements.draft_agreement(
            acting_user=staff_user, placement=placement, terms=self._terms(placement, **terms)
        )
        if not sent:
            return agreement
        agreements.send_for_signing(acting_user=staff_user, agreement=agreement)
        self._student_user(placement.student)
        needs_guardian = age_on(placement.student.date_of_birth, placement.start_date) < 18
        if signed:
            all_parties = parties + (("guardian",) if needs_guardian else ())
            self._sign(placement, agreement, all_parties)
        else:
            self._sign(placement, agreement, parties)
        placement.refresh_from_db()
        return agreement

    def _contact(self, placement: Placement, held_on: dt.date, kind: ContactKind) -> None:
        assert placement.supervisor is not None
        supervision.log_contact(
            acting_user=placement.supervisor.user,
            placement=placement,
            held_on=held_on,
            kind=kind,
            with_student=True,
            with_trainer=kind != ContactKind.PHONE,
            notes=self.rng.choice(
                [
                    "Student maakt goede voortgang; werkprocessen 1 en 2 besproken.",
                    "Afspraken gemaakt over de planning van de beoordeling.",
                    "Student voelt zich welkom; praktijkopleider tevreden over inzet.",
                ]
            ),
        )

    def _start_overdue_by(self, days: int, region_province: str) -> dt.date:
        """A start date whose first contact (every 4 weeks) was due `days` ago."""
        region = region_of_province(region_province)
        start = self.today - dt.timedelta(days=28)
        while next_contact_due(last_contact=start, every_weeks=4, region=region) >= (
            self.today - dt.timedelta(days=days)
        ):
            start -= dt.timedelta(days=1)
        return start

    # -- the demo ----------------------------------------------------------------------------
    def build(self) -> dict[str, int]:
        coordinator = SchoolStaff.objects.select_related("school", "user").get(
            user__username="stagecoordinator"
        )
        school = coordinator.school
        demo_student = Student.objects.select_related("programme__qualification", "user").get(
            user__username="student"
        )
        trainer_company = Company.objects.get(trainers__user__username="praktijkopleider")
        busy = set(
            Placement.objects.filter(status__in=list(RUNNING)).values_list("student_id", flat=True)
        )
        pool = [
            s
            for s in Student.objects.filter(school=school)
            .exclude(pk=demo_student.pk)
            .select_related("programme__qualification", "user")
            .order_by("id")
            if s.pk not in busy
        ]
        minors = [s for s in pool if age_on(s.date_of_birth, self.today) < 18]
        adults = [s for s in pool if age_on(s.date_of_birth, self.today) >= 18]
        colleague_user = create_user(
            acting_user=None,
            username="begeleider-demo",
            email="begeleider-demo@demo.stagekans.nl",
            password=None,
            role=Role.SCHOOL_STAFF,
            first_name="Anouk",
            last_name="de Bruin",
        )
        colleague = education_services.add_school_staff(
            acting_user=None, school=school, user=colleague_user, function="bpv-begeleider"
        )
        today = self.today
        made = 0

        # 1. The demo student at the demo company: signed POK, a contact, a bpv-blad v2 that
        #    the school signed and the student and praktijkopleider still have to sign, and a
        #    question for the begeleider.
        start = today - dt.timedelta(days=63)
        company: Company | None = trainer_company
        if not self._recognise(trainer_company, demo_student, start):
            found = self._take([demo_student], start)
            company = found[1] if found else None
        if demo_student.pk not in busy and company is not None:
            p = self._place(
                student=demo_student,
                company=company,
                staff=coordinator,
                start=start,
                end=today + dt.timedelta(days=150),
            )
            self._pok(p)
            self._contact(p, today - dt.timedelta(days=20), ContactKind.ON_SITE)
            v2 = agreements.draft_agreement(
                acting_user=coordinator.user,
                placement=p,
                terms=self._terms(p, hours=880, end_date=p.end_date + dt.timedelta(days=14)),
                change_summary="Stage twee weken langer (tot en met de nieuwe einddatum) en "
                "80 uur meer, in overleg met de praktijkopleider.",
            )
            agreements.send_for_signing(acting_user=coordinator.user, agreement=v2)
            agreements.sign_agreement(acting_user=coordinator.user, agreement=v2)
            supervision.request_contact(
                acting_user=self._student_user(demo_student),
                placement=p,
                message="Kunnen we het bpv-blad en mijn voortgang samen doornemen?",
            )
            made += 1

        # 2. Another student at the demo company, POK out for signing (the company signs next).
        start = today + dt.timedelta(days=35)
        for index, student in enumerate(adults):
            if is_validly_recognised(trainer_company, student.programme.qualification_id, on=start):
                del adults[index]
                p = self._place(
                    student=student,
                    company=trainer_company,
                    staff=coordinator,
                    start=start,
                    end=today + dt.timedelta(days=200),
                )
                self._pok(p, signed=False, parties=("student",))
                made += 1
                break

        # 3. Running placements with contacts on time (coordinator and colleague).
        for staff in (coordinator, coordinator, colleague):
            start = today - dt.timedelta(days=70)
            found = self._take(adults, start, exclude=trainer_company)
            if found is None:
                break
            p = self._place(
                student=found[0],
                company=found[1],
                staff=staff,
                start=start,
                end=today + dt.timedelta(days=120),
            )
            self._pok(p, min_site_visits=2)
            self._contact(p, today - dt.timedelta(days=40), ContactKind.ON_SITE)
            self._contact(p, today - dt.timedelta(days=9), ContactKind.ONLINE)
            made += 1

        # 4. Overdue: a few days (begeleider alerted) and more than two weeks (coordinator).
        for days, staff in ((4, coordinator), (25, coordinator), (30, colleague)):
            start = self._start_overdue_by(days, school.province)
            found = self._take(adults, start, exclude=trainer_company)
            if found is None:
                break
            p = self._place(
                student=found[0],
                company=found[1],
                staff=staff,
                start=start,
                end=today + dt.timedelta(days=100),
            )
            self._pok(p, min_site_visits=1)
            made += 1

        # 5. A minor: the guardian's signature recorded by the school.
        start = today - dt.timedelta(days=14)
        found = self._take(minors, start, exclude=trainer_company)
        if found is not None:
            p = self._place(
                student=found[0],
                company=found[1],
                staff=coordinator,
                start=start,
                end=today + dt.timedelta(days=160),
            )
            self._pok(p)
            made += 1

        # 6. A bpv-blad v2 fully signed (v1 superseded, still readable).
        start = today - dt.timedelta(days=90)
        found = self._take(adults, start, exclude=trainer_company)
        if found is not None:
            p = self._place(
                student=found[0],
                company=found[1],
                staff=colleague,
                start=start,
                end=today + dt.timedelta(days=60),
            )
            self._pok(p)
            self._contact(p, today - dt.timedelta(days=12), ContactKind.ON_SITE)
            v2 = agreements.draft_agreement(
                acting_user=colleague.user,
                placement=p,
                terms=self._terms(p, weekdays=2 | 4 | 8, contact_every_weeks=3),
                change_summary="Stagedagen gewijzigd naar dinsdag tot en met donderdag; "
                "contact met school elke drie weken.",
            )
            agreements.send_for_signing(acting_user=colleague.user, agreement=v2)
            self._sign(p, v2, ("student", "company", "school"))
            made += 1

        # 7. Planned: a draft POK not yet sent, and a POK awaiting the school's signature.
        for days, sent, parties in ((50, False, ()), (20, True, ("student", "company"))):
            start = today + dt.timedelta(days=days)
            found = self._take(adults, start, exclude=trainer_company)
            if found is None:
                break
            p = self._place(
                student=found[0],
                company=found[1],
                staff=coordinator,
                start=start,
                end=start + dt.timedelta(days=160),
            )
            self._pok(p, sent=sent, signed=False, parties=parties)
            made += 1

        self.counts["stages"] = made
        return self.counts


def build_placements(builder: Any) -> dict[str, int]:
    return PlacementDemo(builder).build()
