"""Demo applications in every status, so the demo student, praktijkopleider and
stagecoördinator each see filled screens:

* the demo student (`student`) has an offer waiting at the demo company, an invitation, a
  seen, a rejected and a withdrawn application, and one their coordinator recommended;
* the demo company (`praktijkopleider`) gets applications in every status on two vacancies for
  the demo student's qualification: new, seen, invited (identity shown), offered, accepted (a
  placement), declined, rejected with a reason, withdrawn and closed;
* the demo school (`stagecoordinator`) sees all of its students' applications, including the
  recommended one (warme match).

Everything goes through applications.services (system actor), so histories, audit rows and
mails are what the real flow writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stagekans.accounts.models import User
from stagekans.applications import services
from stagekans.applications.models import Application
from stagekans.applications.workflow import RejectionReason
from stagekans.companies.models import Company
from stagekans.education.models import School, Student
from stagekans.register import services as register_services
from stagekans.register.selectors import is_validly_recognised
from stagekans.register.workflow import ALL_CONDITIONS_MET
from stagekans.stagemarkt import services as stagemarkt_services
from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus

MOTIVATIONS = [
    "Ik wil graag leren in een team dat de tijd neemt om uit te leggen. Ik ben op tijd, "
    "betrouwbaar en stel vragen als iets niet duidelijk is.",
    "Tijdens mijn bijbaan heb ik gemerkt dat ik goed met klanten omga. Bij jullie wil ik het "
    "vak in de praktijk leren.",
    "Ik zoek een stage waar ik zelfstandig mag werken en feedback krijg. Jullie vacature past "
    "precies bij mijn opleiding.",
    "Ik ben nieuwsgierig en leer snel. Ik wil graag meedraaien in de dagelijkse praktijk en "
    "laten zien wat ik kan.",
]
COMPETENCES = [
    "Plannen en organiseren, samenwerken, EHBO-diploma.",
    "Bijbaan in de supermarkt (2 jaar), klantvriendelijk, rijbewijs B.",
    "Vrijwilliger bij de sportclub, Nederlands en Engels, nauwkeurig.",
    "Stage in leerjaar 1 afgerond met een goed; ervaring met roosters en administratie.",
]
AVAILABILITY = [
    "Maandag tot en met donderdag, vanaf september.",
    "Vier dagen per week; vrijdag les.",
    "Fulltime in de stageperiode.",
]


class DemoApplications:
    def __init__(
        self,
        builder: Any,
        schools: list[School],
        students: list[Student],
        companies: list[Company],
    ) -> None:
        self.rng = builder.rng
        self.schools = schools
        self.students = students
        self.companies = companies
        self.n = 0

    def _send(
        self, student: Student, vacancy: Vacancy, *, recommended_by: Any = None
    ) -> Application:
        self.n += 1
        if recommended_by is not None:
            return services.recommend(
                acting_user=recommended_by,
                student=student,
                vacancy=vacancy,
                recommendation=(
                    "Onze student is zorgvuldig en sterk in contact met mensen; bij de vorige "
                    "stage was de praktijkopleider zeer tevreden. Wij denken dat dit goed past."
                ),
                competences=self.rng.choice(COMPETENCES),
                availability=self.rng.choice(AVAILABILITY),
            )
        return services.apply(
            acting_user=None,
            student=student,
            vacancy=vacancy,
            motivation=self.rng.choice(MOTIVATIONS),
            competences=self.rng.choice(COMPETENCES),
            availability=self.rng.choice(AVAILABILITY),
        )

    def _to(self, application: Application, status: str) -> None:
        """Walk an application to `status` the way the parties would."""
        if status == "sent":
            return
        if status == "withdrawn":
            services.withdraw(acting_user=None, application=application)
            return
        services.mark_seen(acting_user=None, application=application)
        if status == "seen":
            return
        if status == "rejected":
            services.reject(
                acting_user=None,
                application=application,
                reason=self.rng.choice(
                    [
                        RejectionReason.COMPETENCES,
                        RejectionReason.AVAILABILITY,
                        RejectionReason.OTHER_CANDIDATE,
                        RejectionReason.DISTANCE,
                    ]
                ),
                text="Na het lezen van de sollicitatie past een andere kandidaat beter.",
            )
            return
        services.invite(acting_user=None, application=application)
        if status == "invited":
            return
        services.offer(acting_user=None, application=application)
        if status == "offered":
            return
        if status == "declined":
            services.decline(acting_user=None, application=application)
        elif status == "accepted":
            services.accept(acting_user=None, application=application)

    def _demo_vacancy(
        self, company: Company, student: Student, *, places: int, title: str
    ) -> Vacancy:
        qualification = student.programme.qualification
        if not is_validly_recognised(company, qualification.pk):
            recognition = register_services.request_recognition(
                acting_user=None,
                company=company,
                qualification=qualification,
                reason="Aanvraag voor de demo",
            )
            register_services.grant_recognition(
                acting_user=None,
                recognition=recognition,
                reason="Voldoet aan de vijf erkenningsvoorwaarden.",
                conditions=ALL_CONDITIONS_MET,
            )
        start = dt.date.today() + dt.timedelta(days=60)
        vacancy = stagemarkt_services.create_vacancy(
            acting_user=None,
            company=company,
            location=company.locations.order_by("pk")[0],
            qualification=qualification,
            leerweg=student.programme.leerweg,
            title=title,
            description=(
                f"Bij {company.name} draai je mee in een vast team. Je praktijkopleider "
                "begeleidt je en je hebt elke week een voortgangsgesprek."
            ),
            start_date=start,
            end_date=start + dt.timedelta(days=150),
            days_per_week=4,
            allowance=300,
            places=places,
        )
        return stagemarkt_services.publish_vacancy(acting_user=None, vacancy=vacancy)

    def build(self) -> dict[str, int]:
        student_user = User.objects.filter(username="student").first()
        trainer = User.objects.filter(username="praktijkopleider").select_related("trainer").first()
        coordinator = User.objects.filter(username="stagecoordinator").first()
        if student_user is None or trainer is None or coordinator is None:
            return {}
        me = Student.objects.select_related("programme__qualification").get(user=student_user)
        company = trainer.trainer.company
        qualification = me.programme.qualification
        peers = list(
            Student.objects.filter(programme__qualification=qualification)
            .exclude(pk=me.pk)
            .select_related("programme__qualification")
            .order_by("school_id", "pk")
        )
        # Peers of the demo school first: the coordinator sees them.
        peers.sort(key=lambda s: (s.school_id != me.school_id, s.pk))

        big = self._demo_vacancy(
            company, me, places=3, title=f"Stage {qualification.title.lower()}"
        )
        small = self._demo_vacancy(
            company, me, places=1, title=f"Stage {qualification.title.lower()} (weekenddienst)"
        )
        # The demo company: the last place of the small vacancy is taken, so the vacancy is
        # filled and the other application to it closes; then every status on the big one.
        if len(peers) >= 2:
            winner = self._send(peers[0], small)
            waiting = self._send(peers[1], small)
            self._to(waiting, "seen")
            self._to(winner, "accepted")
        plan = ["sent", "seen", "invited", "accepted", "rejected", "declined", "withdrawn", "sent"]
        for status, peer in zip(plan, peers[2:], strict=False):
            self._to(self._send(peer, big), status)
        # The demo student: an offer waiting, and more elsewhere.
        self._to(self._send(me, big), "offered")
        elsewhere = list(
            Vacancy.objects.filter(qualification=qualification, status=VacancyStatus.PUBLISHED)
            .exclude(company=company)
            .order_by("pk")[:5]
        )
        staff = getattr(coordinator, "school_staff", None)
        if staff is not None and staff.school_id == me.school_id:
            target = (
                elsewhere.pop()
                if elsewhere
                else self._demo_vacancy(
                    company, me, places=1, title=f"Leerplek {qualification.title.lower()}"
                )
            )
            self._send(me, target, recommended_by=coordinator)
        for vacancy, status in zip(
            elsewhere, ["invited", "rejected", "seen", "withdrawn"], strict=False
        ):
            self._to(self._send(me, vacancy), status)
        # Other students of the demo school apply too, to whatever matches their qualification.
        for peer in (
            Student.objects.filter(school_id=me.school_id)
            .exclude(programme__qualification=qualification)
            .select_related("programme__qualification")
            .order_by("pk")[:25]
        ):
            ids = list(
                Vacancy.objects.filter(
                    qualification_id=peer.programme.qualification_id,
                    status=VacancyStatus.PUBLISHED,
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:20]
            )
            if not ids:
                continue
            vacancy = Vacancy.objects.get(pk=self.rng.choice(ids))
            self._to(
                self._send(peer, vacancy),
                self.rng.choice(["sent", "sent", "seen", "invited", "rejected", "withdrawn"]),
            )
        return {"sollicitaties": Application.objects.count()}
