"""Demo data for keuzedelen at another institution and study advice (issue 14).

* The Groningen model: five institutions around Groningen share "Voorbereiding pabo"; one
  partner (in Groningen) teaches it one whole day a week (Friday), the home programmes keep
  that day free, every institution examines its own students. Students of the four other
  partners ask for it, in every state.
* A second agreement between the demo school (where the demo student and stagecoördinator
  are) and a host school nearby, where the demo login `gastcoordinator` works. Version 1 was
  superseded by version 2 (the absence threshold changed); version 3 waits for the demo
  school's signature. Requests in every state, attendance, one absence alert, one result; one
  offering off the shared day (Tuesday) and one the host closed again.
* Home timetables for the programmes involved, a planned activity on the shared day (with
  its warning), and the current school year marked niet-bindend for the demo school, with
  advice given in it.

Everything goes through the domain services, acting as the demo users.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.accounts.roles import Role
from stagekans.accounts.services import create_user
from stagekans.education import services as education_services
from stagekans.education.models import Leerweg, Programme, Qualification, School, Student
from stagekans.geo.places import Place, haversine_km
from stagekans.keuzedelen import selectors as kd_selectors
from stagekans.keuzedelen.checks import (
    FRIDAY,
    MONDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    estimate_travel_minutes,
)
from stagekans.keuzedelen.models import AgreementVersion, EnrolmentRequest, Offering
from stagekans.keuzedelen.services import agreements, attendance, catalogue, enrolment, timetable
from stagekans.keuzedelen.workflow import (
    AttendanceStatus,
    EnrolmentStatus,
    Examiner,
    RefusalReason,
    Result,
)
from stagekans.studyadvice import rules
from stagekans.studyadvice import services as advice_services
from stagekans.studyadvice.models import AdviceKind

if TYPE_CHECKING:
    from stagekans.demo.builder import DemoBuilder

HOST_COORDINATOR = "gastcoordinator"

GRONINGEN_PARTNERS = [
    ("ROC Groningen-Stad", "Groningen"),
    ("Vakcollege Assen", "Assen"),
    ("MBO Hoogezand", "Hoogezand"),
    ("ROC Oost-Groningen", "Winschoten"),
    ("Zorgacademie Veendam", "Veendam"),
]

CATALOGUE = [
    ("K0901", "Voorbereiding pabo", 240, 4),
    ("K0080", "Verdieping software", 240, 4),
    ("K1004", "Ondernemerschap mbo", 240, 3),
    ("K0125", "Duurzaamheid in het beroep", 240, 2),
    ("K0211", "Gebarentaal in de zorg", 240, 3),
]

FULL_WEEK = MONDAY | TUESDAY | WEDNESDAY | THURSDAY | FRIDAY
SHARED_TERMS: dict[str, Any] = {
    "finance_terms": (
        "Elke instelling biedt het keuzedeel formeel zelf aan en houdt de bekostiging. De "
        "instelling die lesgeeft factureert per geplaatste student per periode."
    ),
    "insurance": (
        "De student blijft ingeschreven bij en verzekerd via de eigen instelling "
        "(ongevallen- en aansprakelijkheidsverzekering); de gastinstelling meldt schade direct."
    ),
    "responsibility": (
        "Tijdens de lesdag draagt de gastinstelling de zorgplicht; de eigen instelling blijft "
        "verantwoordelijk voor de studieloopbaanbegeleiding."
    ),
    "progress_reporting": (
        "De gastinstelling rapporteert na elke periode de voortgang per student aan de eigen "
        "instelling, via Stagekans."
    ),
    "attendance_reporting": (
        "Aanwezigheid per les in Stagekans; de eigen instelling ziet die direct en krijgt één "
        "signaal als het verzuim boven de grens komt."
    ),
}


class KeuzedelenDemo:
    def __init__(
        self,
        builder: DemoBuilder,
        schools: list[School],
        students: list[Student],
    ) -> None:
        self.b = builder
        self.rng = builder.rng
        self.schools, self.students = schools, students
        self.today = timezone.localdate()
        self.users = {
            u.username: u for u in User.objects.filter(email__endswith="@demo.stagekans.nl")
        }
        self.counts: dict[str, int] = {}
        self._staff_counter = 0
        self._student_counter = 0

    # -- helpers ----------------------------------------------------------------------------
    def _place(self, name: str) -> Place:
        return next(p for p in self.b.places if p.name == name)

    def _school(self, name: str, place: str, index: int) -> School:
        return education_services.create_school(
            acting_user=None, name=name, brin=self.b.brin(60 + index), place=place
        )

    def _coordinator(self, school: School, username: str | None = None) -> User:
        if username and username in self.users:
            user = self.users[username]
        else:
            self._staff_counter += 1
            user = create_user(
                acting_user=None,
                username=f"kd-coordinator-{self._staff_counter}",
                email=f"kd-coordinator-{self._staff_counter}@demo-school.stagekans.nl",
                password=None,
                role=Role.SCHOOL_STAFF,
                first_name=self.b.fake.first_name(),
                last_name=self.b.fake.last_name(),
            )
        if not hasattr(user, "school_staff"):
            education_services.add_school_staff(acting_user=None, school=school, user=user)
        return user

    def _student(self, school: School, programme: Programme, *, age: int, near: Place) -> Student:
        self._student_counter += 1
        home = self.b._weighted_place(near=near, max_km=15)
        return education_services.enrol_student(
            acting_user=None,
            school=school,
            programme=programme,
            student_number=f"{900000 + self._student_counter}",
            given_name=self.b.fake.first_name(),
            family_name=self.b.fake.last_name(),
            cohort=self.today.year - 1,
            date_of_birth=self.today - dt.timedelta(days=age * 365 + self.rng.randint(30, 300)),
            postcode=self.b.postcode_in(home),
            place=home.name,
        )

    def _qualification(self, title: str) -> Qualification:
        return Qualification.objects.get(title=title)

    def _programme(self, school: School, qualification: Qualification) -> Programme:
        existing = Programme.objects.filter(school=school, qualification=qualification).first()
        return existing or education_services.create_programme(
            acting_user=None, school=school, qualification=qualification, leerweg=Leerweg.BOL
        )

    def _terms(self, **overrides: Any) -> agreements.AgreementTerms:
        values: dict[str, Any] = {
            "examiner": Examiner.EACH_OWN,
            "finance_per_student": Decimal("450.00"),
            "shared_day": FRIDAY,
            "absence_threshold_percent": 20,
            **SHARED_TERMS,
        }
        values.update(overrides)
        return agreements.AgreementTerms(**values)

    def _sign_all(self, version: AgreementVersion, staff: dict[int, User]) -> AgreementVersion:
        for partner in version.partners.filter(signed_at__isnull=True):
            version = agreements.sign_version(acting_user=staff[partner.school_id], version=version)
        return version

    def _count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    # -- build ------------------------------------------------------------------------------
    def build(self) -> dict[str, int]:
        keuzedelen = {
            code: catalogue.create_keuzedeel(
                acting_user=None, code=code, title=title, study_load_hours=hours, niveau=niveau
            )
            for code, title, hours, niveau in CATALOGUE
        }
        self._groningen(keuzedelen)
        self._demo_region(keuzedelen)
        self._study_advice()
        self.counts["aanvragen keuzedelen"] = EnrolmentRequest.objects.count()
        return self.counts

    def _groningen(self, keuzedelen: dict[str, Any]) -> None:
        schools = [
            self._school(name, place, i) for i, (name, place) in enumerate(GRONINGEN_PARTNERS)
        ]
        staff = {s.pk: self._coordinator(s) for s in schools}
        host = schools[0]
        version = agreements.create_agreement(
            acting_user=staff[host.pk],
            title="Voorbereiding pabo — samenwerking mbo-instellingen rond Groningen",
            host=host,
            partners=schools,
            terms=self._terms(examiner=Examiner.EACH_OWN, finance_per_student=Decimal("380.00")),
        )
        self._sign_all(version, staff)
        start = self.today - dt.timedelta(days=35)
        offering = catalogue.create_offering(
            acting_user=staff[host.pk],
            keuzedeel=keuzedelen["K0901"],
            agreement=version.agreement,
            location_name="Campus Zernike, gebouw Pabo-lab",
            place="Groningen",
            weekdays=FRIDAY,
            start_date=start,
            end_date=start + dt.timedelta(days=280),
            places=140,
            min_niveau=4,
            entry_conditions="Voor studenten die na het mbo naar de pabo willen.",
        )
        pedagogic = self._qualification("Pedagogisch medewerker kinderopvang")
        sport = self._qualification("Sport- en bewegingscoördinator")
        for school in schools[1:]:
            place = self._place(school.place)
            home_staff = staff[school.pk]
            for qualification in (sport, pedagogic):
                programme = self._programme(school, qualification)
                timetable.set_timetable(
                    acting_user=home_staff,
                    programme=programme,
                    cohort=self.today.year - 1,
                    lesson_days=FULL_WEEK,  # Friday is free through the agreement's shared day
                )
            sport_programme = self._programme(school, sport)
            group = [
                self._student(
                    school, sport_programme, age=self.rng.choice([16, 17, 18, 19]), near=place
                )
                for _ in range(5)
            ]
            group.append(
                self._student(school, self._programme(school, pedagogic), age=17, near=place)
            )
            created = enrolment.request_for_group(
                acting_user=home_staff,
                students=group,
                offering=offering,
                motivation="Aangemeld door de opleiding: wil na het mbo naar de pabo.",
            )
            waiting = [e for e in created if e.status == EnrolmentStatus.SUBMITTED]
            for index, request in enumerate(waiting):
                if index == len(waiting) - 1:
                    continue  # one stays with the home school
                request = enrolment.decide_home(
                    acting_user=home_staff, enrolment=request, approve=True
                )
                if index < len(waiting) - 2:
                    enrolment.decide_host(
                        acting_user=staff[host.pk], enrolment=request, accept=True
                    )
                elif school == schools[1]:
                    enrolment.decide_host(
                        acting_user=staff[host.pk],
                        enrolment=request,
                        accept=False,
                        reason=RefusalReason.OTHER,
                        note="De intentieverklaring voor de pabo ontbreekt nog; meld je volgend "
                        "semester opnieuw aan.",
                    )
        placed = list(kd_selectors.placed_in(offering))
        for lesson in kd_selectors.lesson_dates(offering, until=self.today):
            statuses = {
                e.pk: AttendanceStatus.ABSENT
                if self.rng.random() < 0.08
                else AttendanceStatus.PRESENT
                for e in placed
            }
            attendance.record_attendance(
                acting_user=staff[host.pk], offering=offering, lesson_date=lesson, statuses=statuses
            )
        self._count("samenwerkingsovereenkomsten")

    def _host_near(self, school: School) -> Place:
        origin = self._place(school.place)
        taken = set(School.objects.values_list("place", flat=True))
        candidates = [
            p
            for p in self.b.places
            if p.name not in taken
            and 12 <= haversine_km(p.latitude, p.longitude, origin.latitude, origin.longitude) <= 30
        ]
        candidates.sort(key=lambda p: -p.population)
        return candidates[0] if candidates else origin

    def _demo_region(self, keuzedelen: dict[str, Any]) -> None:
        home = self.schools[0]
        home_staff = self.users["stagecoordinator"]
        host_place = self._host_near(home)
        host = self._school(f"Techniek College {host_place.name}", host_place.name, 10)
        host_staff = self._coordinator(host, HOST_COORDINATOR)
        staff = {home.pk: home_staff, host.pk: host_staff}
        title = f"Keuzedelen regio {home.place} – {host.place}"
        v1 = agreements.create_agreement(
            acting_user=host_staff,
            title=title,
            host=host,
            partners=[home, host],
            terms=self._terms(
                shared_day=THURSDAY,
                absence_threshold_percent=25,
                examiner=Examiner.HOST,
                finance_per_student=Decimal("520.00"),
            ),
        )
        self._sign_all(v1, staff)
        v2 = agreements.propose_version(
            acting_user=host_staff,
            agreement=v1.agreement,
            partners=[home, host],
            terms=self._terms(
                shared_day=THURSDAY,
                absence_threshold_percent=20,
                examiner=Examiner.HOST,
                finance_per_student=Decimal("520.00"),
            ),
            change_summary=(
                "Verzuimgrens van 25% naar 20%, zodat de eigen school eerder een signaal krijgt."
            ),
        )
        self._sign_all(v2, staff)
        v3 = agreements.propose_version(
            acting_user=host_staff,
            agreement=v1.agreement,
            partners=[home, host],
            terms=self._terms(
                shared_day=THURSDAY,
                absence_threshold_percent=20,
                examiner=Examiner.HOST,
                finance_per_student=Decimal("545.00"),
            ),
            change_summary="Vergoeding per student geïndexeerd naar € 545.",
        )
        agreements.sign_version(acting_user=host_staff, version=v3)  # the demo school still signs

        start = self.today - dt.timedelta(days=42)
        offerings = [
            catalogue.create_offering(
                acting_user=host_staff,
                keuzedeel=keuzedelen[code],
                agreement=v1.agreement,
                location_name=f"Techniek College {host.place}, hoofdlocatie",
                place=host.place,
                weekdays=day,
                start_date=start,
                end_date=start + dt.timedelta(days=140),
                places=places,
                min_niveau=niveau,
            )
            for code, day, places, niveau in (
                ("K0080", THURSDAY, 12, 4),
                ("K1004", TUESDAY, 16, 2),
                ("K0125", THURSDAY, 20, 2),
                ("K0211", THURSDAY, 1, 2),
            )
        ]
        # An offering the host closed again (the host sees why; it left the catalogue).
        later = self.today + dt.timedelta(days=70)
        closed = catalogue.create_offering(
            acting_user=host_staff,
            keuzedeel=keuzedelen["K1004"],
            agreement=v1.agreement,
            location_name=f"Techniek College {host.place}, dependance",
            place=host.place,
            weekdays=THURSDAY,
            start_date=later,
            end_date=later + dt.timedelta(days=120),
            places=10,
            min_niveau=2,
            entry_conditions="Alleen met een eigen ondernemingsplan.",
        )
        catalogue.close_offering(
            acting_user=host_staff,
            offering=closed,
            reason="Te weinig belangstelling; volgend schooljaar bieden we het opnieuw aan.",
        )
        for programme in Programme.objects.filter(school=home):
            for cohort in {s.cohort for s in self.students if s.school_id == home.pk}:
                timetable.set_timetable(
                    acting_user=home_staff,
                    programme=programme,
                    cohort=cohort,
                    lesson_days=FULL_WEEK,
                )
        pool = [
            s
            for s in self.students
            if s.school_id == home.pk and s.programme.qualification.niveau >= 2
        ]
        demo_student = self.students[0]
        pool = [s for s in pool if s.pk != demo_student.pk]
        self.rng.shuffle(pool)
        main, tuesday, small = offerings[0], offerings[1], offerings[3]

        def ask(student: Student, offering: Offering) -> EnrolmentRequest:
            return enrolment.request_keuzedeel(
                acting_user=home_staff if student.user_id is None else student.user,
                student=student,
                offering=offering,
                motivation="Ik wil me verdiepen in dit vak en het past in mijn rooster.",
            )

        def reachable(student: Student) -> bool:
            km = haversine_km(
                student.latitude, student.longitude, host_place.latitude, host_place.longitude
            )
            return estimate_travel_minutes(km) <= 80

        def adults(n: int) -> list[Student]:
            chosen = [
                s for s in pool if (self.today - s.date_of_birth).days > 19 * 365 and reachable(s)
            ][:n]
            for s in chosen:
                pool.remove(s)
            return chosen

        def minors(n: int) -> list[Student]:
            chosen = [
                s for s in pool if (self.today - s.date_of_birth).days < 17 * 365 and reachable(s)
            ][:n]
            for s in chosen:
                pool.remove(s)
            return chosen

        # The demo student: placed on the Thursday keuzedeel (their portal shows it).
        offering_for_demo = (
            main if demo_student.programme.qualification.niveau >= 4 else offerings[2]
        )
        mine = ask(demo_student, offering_for_demo)
        if mine.status == EnrolmentStatus.SUBMITTED:
            mine = enrolment.decide_home(acting_user=home_staff, enrolment=mine, approve=True)
            mine = enrolment.decide_host(acting_user=host_staff, enrolment=mine, accept=True)
        # Submitted: waiting for the demo stagecoördinator.
        for s in adults(2):
            ask(s, offerings[2])
        # Approved at home, waiting for the host (the demo gastcoördinator).
        for s in adults(2):
            r = ask(s, offerings[2])
            if r.status == EnrolmentStatus.SUBMITTED:
                enrolment.decide_home(
                    acting_user=home_staff,
                    enrolment=r,
                    approve=True,
                    note="Goede studievoortgang; past in het rooster.",
                )
        # Placed, with attendance (one of them absent too often: one alert to the home school).
        placed: list[EnrolmentRequest] = [mine] if mine.status == EnrolmentStatus.ACCEPTED else []
        for s in adults(3):
            r = ask(s, offerings[2])
            if r.status == EnrolmentStatus.SUBMITTED:
                r = enrolment.decide_home(acting_user=home_staff, enrolment=r, approve=True)
                placed.append(
                    enrolment.decide_host(acting_user=host_staff, enrolment=r, accept=True)
                )
        # Completed with a result.
        for s in adults(1):
            r = ask(s, offerings[2])
            if r.status == EnrolmentStatus.SUBMITTED:
                r = enrolment.decide_home(acting_user=home_staff, enrolment=r, approve=True)
                r = enrolment.decide_host(acting_user=host_staff, enrolment=r, accept=True)
                attendance.record_result(
                    acting_user=host_staff, enrolment=r, result=Result.PASSED, grade="7,8"
                )
        # Refused by the checks: a minor on a Tuesday keuzedeel (home lessons that day).
        for s in minors(2):
            ask(s, tuesday)
        # Refused by the home school and by the host; one withdrawn by the student's school.
        for s in adults(1):
            r = ask(s, offerings[2])
            if r.status == EnrolmentStatus.SUBMITTED:
                enrolment.decide_home(
                    acting_user=home_staff,
                    enrolment=r,
                    approve=False,
                    reason=RefusalReason.STUDY_PROGRESS,
                    note="Eerst de achterstand in periode 2 inhalen.",
                )
        for number, s in enumerate(adults(2)):
            r = ask(s, small)
            if r.status == EnrolmentStatus.SUBMITTED:
                r = enrolment.decide_home(acting_user=home_staff, enrolment=r, approve=True)
                enrolment.decide_host(
                    acting_user=host_staff,
                    enrolment=r,
                    accept=number == 0,
                    reason=None if number == 0 else RefusalReason.CAPACITY,
                    note="" if number == 0 else "De enige plaats is al vergeven.",
                )
        for s in adults(1):
            r = ask(s, offerings[2])
            if r.status == EnrolmentStatus.SUBMITTED:
                enrolment.withdraw(acting_user=home_staff, enrolment=r)
        lessons = kd_selectors.lesson_dates(offerings[2], until=self.today)
        for index, lesson in enumerate(lessons):
            statuses = {}
            for number, r in enumerate(placed):
                if r.offering_id != offerings[2].pk:
                    continue
                absent = number == 1 and index % 2 == 1
                statuses[r.pk] = AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT
            if statuses:
                attendance.record_attendance(
                    acting_user=host_staff,
                    offering=offerings[2],
                    lesson_date=lesson,
                    statuses=statuses,
                )
        for lesson in kd_selectors.lesson_dates(main, until=self.today):
            on_main = {r.pk: AttendanceStatus.PRESENT for r in placed if r.offering_id == main.pk}
            if on_main:
                attendance.record_attendance(
                    acting_user=host_staff, offering=main, lesson_date=lesson, statuses=on_main
                )
        # A planned activity on the shared day, with its warning.
        programme = demo_student.programme
        thursday = self.today + dt.timedelta(days=(3 - self.today.weekday()) % 7 or 7)
        timetable.plan_activity(
            acting_user=home_staff,
            programme=programme,
            cohort=demo_student.cohort,
            date=thursday,
            title="Excursie naar de beroepenbeurs",
        )
        self._count("samenwerkingsovereenkomsten")

    def _study_advice(self) -> None:
        school = self.schools[0]
        coordinator = self.users["stagecoordinator"]
        year = rules.school_year_of(self.today)
        advice_services.mark_school_year(
            acting_user=coordinator,
            school=school,
            school_year=year,
            reason=(
                "Langdurige uitval van onderwijs: het hoofdgebouw was na brand drie maanden "
                "gesloten; het onderwijs ging slechts gedeeltelijk op afstand door."
            ),
            document_reference="Besluit college van bestuur, kenmerk CvB/2026/14",
        )
        students = [s for s in self.students if s.school_id == school.pk][:12]
        first_years = students[1:12]
        moment = advice_services.propose_next_moment(school, self.today)
        for index, student in enumerate(first_years):
            kind = (AdviceKind.POSITIVE, AdviceKind.POSITIVE, AdviceKind.POSTPONED)[index % 3]
            advice_services.give_advice(
                acting_user=coordinator,
                student=student,
                kind=kind,
                binding=False,
                advice_date=self.today - dt.timedelta(days=index),
                reasoning=(
                    "Voldoende voortgang in de beroepsgerichte vakken."
                    if kind == AdviceKind.POSITIVE
                    else "Achterstand door de uitval; niet-bindend jaar, advies uitgesteld."
                ),
                next_moment=moment if kind == AdviceKind.POSTPONED else None,
            )
        advice_services.give_advice(
            acting_user=coordinator,
            student=self.students[0],
            kind=AdviceKind.POSTPONED,
            binding=False,
            advice_date=self.today,
            next_moment=moment,
            reasoning=(
                "Je hebt een achterstand in twee vakken, ontstaan door de uitval van lessen. "
                "Omdat dit schooljaar niet-bindend is, stellen we het advies uit."
            ),
        )
        self._count("studieadviezen", len(first_years) + 1)


def build(builder: DemoBuilder, schools: list[School], students: list[Student]) -> dict[str, int]:
    return KeuzedelenDemo(builder, schools, students).build()
