"""Demo scenarios: every screen of every role shows something real.

Built after the base data (schools, students, companies) and only through the domain services,
acting as the demo users, so history, audit rows, outbox mails and hooks are the real ones:

* reports in each triage state, one forwarded to SBB and waiting in the investigators' queue;
* investigation cases in each workflow state, one with a hearing due in two working days (the
  demo praktijkopleider and stagecoördinator can answer it in their portals), one decided with
  a decision letter, one in objection;
* a revocation proposed by one SBB adviser and waiting for a second (four-eyes), and one that
  took effect, which gave the demo school a task;
* complete earlier calendar years of reports, so the analyst's statistics show published
  figures and suppressed small cells.

The one thing the services cannot do is travel in time: reports of earlier years are filed
through the intake service and then get their historical receipt date (see `_backdate`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.cases import services as case_services
from stagekans.cases.models import Case, DecisionOutcome, Measure, Party
from stagekans.companies.models import Company
from stagekans.core.workdays import add_working_days
from stagekans.education.models import School
from stagekans.meldpunt import services as meldpunt_services
from stagekans.meldpunt.models import FollowUp, Ground, Phase, Report, ReporterRole
from stagekans.meldpunt.services import ContactDetails
from stagekans.register import services as register_services
from stagekans.register.selectors import valid_recognitions
from stagekans.worklist import services as worklist_services
from stagekans.worklist.models import SchoolTaskKind

if TYPE_CHECKING:
    from stagekans.demo.builder import DemoBuilder

STORIES = [
    "Bij het sollicitatiegesprek vroeg de manager waar mijn ouders vandaan komen en zei daarna "
    "dat ik 'niet in het team zou passen'.",
    "Mijn stagebegeleider maakt steeds grapjes over mijn hoofddoek waar klanten bij zijn.",
    "Ik kreeg geen uitnodiging; mijn klasgenoot met dezelfde cijfers maar een Nederlandse "
    "achternaam wel.",
    "Op de stage mocht ik niet aan de balie staan omdat ik in een rolstoel zit.",
    "De praktijkopleider zei dat ze liever geen zwangere stagiaire wilden.",
    "Tijdens de stage werd ik als enige steeds op de achterste werkplek gezet.",
]
GROUND_CYCLE = [
    [Ground.ORIGIN],
    [Ground.RELIGION],
    [Ground.ORIGIN, Ground.NATIONALITY],
    [Ground.SEX],
    [Ground.BELIEF],
    [Ground.NATIONALITY],
]
PROVINCES = ["NH", "ZH", "UT", "NB", "GE", "OV", "LI", "GR", "FR", "DR", "FL", "ZE"]
WEIGHTS = [14, 15, 8, 10, 9, 5, 5, 3, 3, 2, 2, 1]  # roughly population: small cells appear
HISTORY_GROUND_WEIGHTS = [55, 10, 8, 12, 5, 10]  # per entry of GROUND_CYCLE
HISTORY_MONTH_WEIGHTS = [9, 10, 11, 10, 9, 7, 4, 5, 11, 10, 9, 5]


class Scenarios:
    def __init__(
        self,
        builder: DemoBuilder,
        schools: list[School],
        students: list[Any],
        companies: list[Company],
    ) -> None:
        self.b = builder
        self.rng = builder.rng
        self.schools, self.students, self.companies = schools, students, companies
        self.users = {
            u.username: u for u in User.objects.filter(email__endswith="@demo.stagekans.nl")
        }
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}

    def user(self, username: str) -> User:
        return self.users[username]

    def build(self) -> dict[str, int]:
        recognised = [c for c in self.companies if valid_recognitions().filter(company=c).exists()]
        trainer_company = Company.objects.get(trainers__user=self.user("praktijkopleider"))
        others = [c for c in recognised if c.pk != trainer_company.pk]
        if len(others) < 14:
            raise ValueError("De demoscenario's hebben minstens 14 erkende leerbedrijven nodig.")
        self._contacts(recognised)
        # Each scenario gets companies of its own, so a revocation never meets a running case.
        self._reports_in_each_triage_state(others[0:4])
        self._cases_in_each_state(trainer_company, others[4:10])
        self._revocations(others[10:12])
        self._earlier_years(others[12:])
        return self.counts

    # -- companies ---------------------------------------------------------------------------
    def _contacts(self, companies: list[Company]) -> None:
        """Most companies say how to apply; about half publish an e-mail address, some a phone."""
        from stagekans.companies import services as company_services

        for company in companies:
            if self.rng.random() < 0.15:
                continue
            slug = "".join(ch for ch in company.name.lower() if ch.isalnum())[:20] or "leerbedrijf"
            company_services.update_contact(
                acting_user=None,
                company=company,
                contact_name=self.b.fake.name(),
                contact_email=f"stage@{slug}.example.nl",
                contact_phone=f"0{self.rng.randint(10, 79)}-{self.rng.randint(1000000, 9999999)}",
                publish_contact_email=self.rng.random() < 0.6,
                publish_contact_phone=self.rng.random() < 0.3,
                how_to_apply=self.rng.choice(
                    [
                        "Stuur een korte motivatie (half A4) en je cv. Je hoort binnen een week "
                        "van ons.",
                        "Bel of mail de contactpersoon voor een kennismakingsgesprek.",
                        "Kom gerust langs voor een meeloopdag; mail ons eerst even.",
                    ]
                ),
            )

    # -- meldpunt ----------------------------------------------------------------------------
    def _submit(self, index: int, company: Company | None, **extra: Any) -> Report:
        values: dict[str, Any] = {
            "acting_user": None,
            "reporter_role": ReporterRole.STUDENT,
            "what_happened": STORIES[index % len(STORIES)],
            "occurred_on": self.today - dt.timedelta(days=3 + index % 20),
            "grounds": GROUND_CYCLE[index % len(GROUND_CYCLE)],
            "phase": Phase.RECRUITMENT if index % 3 else Phase.DURING,
            "follow_up": [FollowUp.INVESTIGATION, FollowUp.SUPPORT, FollowUp.REGISTER_ONLY][
                index % 3
            ],
            "company": company,
            "company_name": "" if company else "Onbekend bedrijf",
            "contact": ContactDetails(email=f"melder{index}@example.nl"),
        }
        values.update(extra)
        if values["company"] is None and "province" not in values:
            values["province"] = PROVINCES[index % len(PROVINCES)]
        return meldpunt_services.submit_report(**values).report

    def _reports_in_each_triage_state(self, companies: list[Company]) -> None:
        meldpunt = self.user("meldpunt")
        student_user = self.user("student")
        # The demo student's own reports: one fresh, one that SBB investigates (with consent).
        own = self._submit(
            0,
            companies[0],
            acting_user=student_user,
            contact=ContactDetails(),
            consent_share_identity_with_sbb=True,
        )
        self._submit(3, companies[1], acting_user=student_user, contact=ContactDetails())
        for i in range(2, 5):  # received, waiting for the meldpunt
            self._submit(i, companies[i % len(companies)])
        in_triage = self._submit(5, companies[2])
        meldpunt_services.start_triage(acting_user=meldpunt, report=in_triage)
        registered = self._submit(6, None, follow_up=FollowUp.REGISTER_ONLY)
        meldpunt_services.start_triage(acting_user=meldpunt, report=registered)
        meldpunt_services.register_only(
            acting_user=meldpunt, report=registered, note="Melder wil alleen registreren."
        )
        referred = self._submit(7, companies[3], follow_up=FollowUp.SUPPORT)
        meldpunt_services.start_triage(acting_user=meldpunt, report=referred)
        meldpunt_services.refer_to_support(
            acting_user=meldpunt,
            report=referred,
            organisation="Antidiscriminatievoorziening Utrecht (Art.1 MN)",
            contact_details="030-2134400, www.art1mn.nl",
        )
        meldpunt_services.send_message_to_reporter(
            acting_user=meldpunt,
            report=referred,
            body="Dank voor je melding. De antidiscriminatievoorziening neemt contact met je op.",
        )
        closed = self._submit(8, None, follow_up=FollowUp.REGISTER_ONLY)
        meldpunt_services.start_triage(acting_user=meldpunt, report=closed)
        meldpunt_services.register_only(acting_user=meldpunt, report=closed)
        meldpunt_services.close_report(acting_user=meldpunt, report=closed, note="Afgehandeld.")
        # Forwarded with consent: the case waits, unassigned, in the investigators' queue.
        meldpunt_services.start_triage(acting_user=meldpunt, report=own)
        meldpunt_services.forward_to_sbb(
            acting_user=meldpunt,
            report=own,
            summary=(
                "Student werd bij het sollicitatiegesprek naar de afkomst van de ouders gevraagd "
                "en daarna afgewezen omdat de student 'niet in het team zou passen'."
            ),
        )
        self.counts["meldingen (alle statussen)"] = Report.objects.count()

    # -- cases -------------------------------------------------------------------------------
    def _trainer_of(self, company: Company) -> User:
        existing = company.trainers.select_related("user").first()
        if existing is not None:
            return existing.user
        from stagekans.accounts.roles import Role
        from stagekans.accounts.services import create_user
        from stagekans.companies import services as company_services
        from stagekans.demo.builder import DEMO_PASSWORD

        user = create_user(
            acting_user=None,
            username=f"opleider-{company.kvk_number}",
            email=f"opleider-{company.kvk_number}@example.nl",
            password=DEMO_PASSWORD,
            role=Role.COMPANY_TRAINER,
            first_name=self.b.fake.first_name(),
            last_name=self.b.fake.last_name(),
        )
        company_services.add_trainer(
            acting_user=None, company=company, user=user, is_company_admin=True
        )
        return user

    def _open(self, company: Company, summary: str) -> Case:
        return case_services.open_case(
            acting_user=self.user("onderzoeker"), company=company, summary=summary
        )

    def _hear(self, case: Case, *, working_days: int = 10) -> tuple[Any, Any]:
        investigator = self.user("onderzoeker")
        case_services.start_investigation(acting_user=investigator, case=case)
        company_h = case_services.request_hearing(
            acting_user=investigator,
            case=case,
            party=Party.COMPANY,
            questions="Hoe verloopt de selectie van stagiairs bij u, en wie voerde dit gesprek?",
            working_days=working_days,
        )
        school_h = case_services.request_hearing(
            acting_user=investigator,
            case=case,
            party=Party.SCHOOL,
            school=self.schools[0],
            questions="Wat weet de school van deze sollicitatie en wat heeft de student gemeld?",
            working_days=working_days,
        )
        return company_h, school_h

    def _heard(self, company: Company, summary: str) -> Case:
        case = self._open(company, summary)
        company_h, school_h = self._hear(case)
        case_services.respond_to_hearing(
            acting_user=self._trainer_of(company),
            hearing=company_h,
            statement="Wij selecteren op motivatie en beschikbaarheid, niet op afkomst.",
        )
        case_services.respond_to_hearing(
            acting_user=self.user("stagecoordinator"),
            hearing=school_h,
            statement="De student meldde het ons dezelfde dag; wij hebben het gesprek genoteerd.",
        )
        case_services.start_assessment(acting_user=self.user("onderzoeker"), case=case)
        case.refresh_from_db()
        return case

    def _decide(self, case: Case, measure: Measure, outcome: DecisionOutcome) -> None:
        case_services.decide(
            acting_user=self.user("onderzoeker"),
            case=case,
            outcome=outcome,
            reasons=(
                "Uit de verklaringen van leerbedrijf en school en de stukken blijkt dat de "
                "student bij de selectie op afkomst is bevraagd en daarom is afgewezen."
                if outcome == DecisionOutcome.ESTABLISHED
                else "De verklaringen spreken elkaar tegen en er zijn geen stukken die de "
                "melding bevestigen."
            ),
            measure=measure,
            improvement_terms=(
                "Binnen drie maanden een vast selectieprotocol met anonieme eerste ronde."
                if measure == Measure.IMPROVEMENT
                else ""
            ),
            follow_up_on=(
                add_working_days(self.today, 60) if measure == Measure.IMPROVEMENT else None
            ),
        )

    def _cases_in_each_state(self, trainer_company: Company, others: list[Company]) -> None:
        investigator = self.user("onderzoeker")
        summary = "Signaal: student afgewezen na vragen over afkomst bij de selectie (demo)."
        self._open(others[0], summary)  # new, assigned to the demo onderzoeker
        under = self._open(others[1], summary)
        case_services.start_investigation(acting_user=investigator, case=under)
        # Hoor en wederhoor due in two working days, for the demo praktijkopleider and school.
        hearing = self._open(trainer_company, summary)
        self._hear(hearing, working_days=2)
        self._heard(others[2], summary)  # assessment
        decided = self._heard(others[3], summary)
        self._decide(decided, Measure.IMPROVEMENT, DecisionOutcome.ESTABLISHED)
        objected = self._heard(others[4], summary)
        self._decide(objected, Measure.NONE, DecisionOutcome.INSUFFICIENT_EVIDENCE)
        case_services.register_objection(
            acting_user=investigator,
            case=objected,
            received_on=self.today,
            grounds="De melder is het niet eens met het besluit: er zijn getuigen die niet "
            "gehoord zijn.",
        )
        closed = self._open(others[5], summary)
        case_services.close_case(
            acting_user=investigator, case=closed, reason="Buiten de bevoegdheid van SBB."
        )
        self.counts["onderzoekszaken"] = Case.objects.count()

    # -- register ----------------------------------------------------------------------------
    def _revocations(self, companies: list[Company]) -> None:
        """One revocation waits for a second adviser; one took effect and gave a school a task."""
        first, second = self.user("adviseur"), self.user("adviseur2")
        pending_company, revoked_company = companies[0], companies[1]
        pending = valid_recognitions().filter(company=pending_company).first()
        revoked = valid_recognitions().filter(company=revoked_company).first()
        assert pending is not None and revoked is not None
        register_services.request_revocation(
            acting_user=first,
            recognition=pending,
            reason="Vastgestelde discriminatie bij de selectie; verbeterafspraak niet nagekomen.",
            decision_reference="SBB-BESLUIT-DEMO-1",
        )
        request = register_services.request_revocation(
            acting_user=first,
            recognition=revoked,
            reason="Herhaalde vastgestelde discriminatie van stagiairs.",
            decision_reference="SBB-BESLUIT-DEMO-2",
        )
        register_services.approve_revocation(acting_user=second, revocation=request)
        worklist_services.create_school_task(
            acting_user=None,
            school=self.schools[0],
            kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT,
            subject=(
                f"Zoek een vervangende stageplek voor studenten bij {revoked_company.name}: de "
                f"erkenning voor {revoked.qualification.title} is ingetrokken."
            ),
            recognition=revoked,
            dedup_key=f"demo-revocation-{revoked.pk}-{self.schools[0].pk}",
        )
        self.counts["intrekkingen (1 wacht op tweede adviseur)"] = 2

    # -- statistics --------------------------------------------------------------------------
    def _earlier_years(self, companies: list[Company]) -> None:
        """Two complete calendar years of reports with a realistic spread (most about origin,
        few about belief): with the threshold of 10 per month and category, the busy cells are
        published and the small ones (a rare ground, a small province) are suppressed."""
        meldpunt = self.user("meldpunt")
        total = self.b.sizes.history_reports
        index = 1000
        for years_back, per_year in ((2, total * 4 // 10), (1, total - total * 4 // 10)):
            year = self.today.year - years_back
            for _ in range(per_year):
                index += 1
                month = self.rng.choices(range(1, 13), weights=HISTORY_MONTH_WEIGHTS)[0]
                received = timezone.make_aware(
                    dt.datetime(year, month, self.rng.randint(1, 28), self.rng.randint(8, 20))
                )
                company = self.rng.choice(companies) if self.rng.random() < 0.5 else None
                extra: dict[str, Any] = {
                    "occurred_on": self.today - dt.timedelta(days=1),
                    "grounds": self.rng.choices(GROUND_CYCLE, weights=HISTORY_GROUND_WEIGHTS)[0],
                    "contact": ContactDetails(),  # anonymous, no mail address
                }
                if company is None:
                    extra["province"] = self.rng.choices(PROVINCES, weights=WEIGHTS)[0]
                report = self._submit(index, company, **extra)
                meldpunt_services.start_triage(acting_user=meldpunt, report=report)
                meldpunt_services.register_only(acting_user=meldpunt, report=report)
                meldpunt_services.close_report(acting_user=meldpunt, report=report)
                _backdate(report, received)


def _backdate(report: Report, received: dt.datetime) -> None:
    """Give a report filed by the demo its historical receipt date (the only demo shortcut)."""
    Report.objects.filter(pk=report.pk).update(
        received_at=received,
        occurred_on=timezone.localdate(received) - dt.timedelta(days=2),
        reply_due_on=add_working_days(timezone.localdate(received), 3),
        first_reply_at=received + dt.timedelta(days=1),
    )
