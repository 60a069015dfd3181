"""Demo data for equal chances in recruitment (issue 17, company side).

Through the equalchances services, acting as the companies' praktijkopleiders and SBB:

* the demo praktijkopleider's company filled in the self-scan three times over the past year
  and got better each time (the progress chart), recorded its recruitment policy twice (with a
  PDF), and its trainer followed two webinars (one registered by SBB);
* most recognised companies filled in the scan once or twice, so the sector and
  regional figures show published cells and suppressed small ones;
* policies for many recognised companies — some older than a recognition period, so the
  adviser sees the reminder — and none for others;
* webinar attendance across companies, registered by the praktijkopleiders or by `adviseur`;
* a draft version 2 of the scan by `adviseur`, waiting to be published;
* a demo source link per webinar (`DEMO_WEBINAR_LINKS`, set by `adviseur`): plausible paths on
  SBB's site, not checked to be real pages.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.companies.models import Company
from stagekans.equalchances import selectors, services
from stagekans.equalchances.models import ScanQuestion, Webinar
from stagekans.register.selectors import valid_recognitions

if TYPE_CHECKING:
    from stagekans.demo.builder import DemoBuilder

POLICY_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)

COMPLAINT_ROUTES = [
    "Een kandidaat kan een klacht mailen naar onze vertrouwenspersoon. We reageren binnen "
    "vijf werkdagen. Kandidaten kunnen ook terecht bij het Meldpunt stagediscriminatie.",
    "Klachten over werving gaan naar de afdeling HR. In elke vacature en elke afwijzing staat "
    "hoe dat werkt, en ook het adres van het Meldpunt stagediscriminatie.",
    "De praktijkopleider bespreekt een klacht met de directie. De school van de student krijgt "
    "bericht.",
]
# Demo links: plausible pages on SBB's site, one per webinar. They are not verified to exist;
# SBB sets the real links on "Webinars beheren" (equalchances.services.update_webinar).
DEMO_WEBINAR_LINKS = {
    "Selecteren zonder vooroordelen": (
        "https://www.s-bb.nl/bedrijven/webinars/selecteren-zonder-vooroordelen"
    ),
    "Objectief oordelen": "https://www.s-bb.nl/bedrijven/webinars/objectief-oordelen",
    "Sociale veiligheid": "https://www.s-bb.nl/bedrijven/webinars/sociale-veiligheid",
    "Gelijke behandeling op de werkvloer": (
        "https://www.s-bb.nl/bedrijven/webinars/gelijke-behandeling-op-de-werkvloer"
    ),
}
RESPONSIBLE = ["Hoofd HR", "Praktijkopleider", "Directeur-eigenaar", "Teamleider opleidingen"]


class EqualChancesDemo:
    def __init__(self, builder: DemoBuilder, companies: list[Company]) -> None:
        self.b = builder
        self.rng = builder.rng
        self.companies = companies
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, int]:
        advisor = User.objects.get(username="adviseur")
        demo_trainer = User.objects.get(username="praktijkopleider")
        recognised_ids = set(valid_recognitions().values_list("company_id", flat=True))
        recognised = [c for c in self.companies if c.pk in recognised_ids]
        own = demo_trainer.trainer.company
        self._webinar_links(advisor)
        self._demo_company(demo_trainer, advisor)
        others = [c for c in recognised if c.pk != own.pk]
        scans = policies = trainings = 0
        webinars = list(Webinar.objects.filter(active=True))
        for company in others:
            if self.rng.random() > 0.85:
                continue
            trainer = self._trainer_of(company)
            maturity = self.rng.betavariate(3, 1.5)
            scans += self._scans(trainer, maturity)
            if self.rng.random() < 0.7:
                policies += self._policy(trainer, maturity)
            if self.rng.random() < 0.8:
                trainings += self._trainings(trainer, advisor, webinars)
        self._draft(advisor)
        self.counts["zelfscans"] = scans + 3
        self.counts["wervingsbeleid (vastgelegd)"] = policies + 2
        self.counts["gevolgde webinars"] = trainings + 2
        return self.counts

    # -- helpers --------------------------------------------------------------------------------
    def _webinar_links(self, advisor: User) -> None:
        for webinar in Webinar.objects.filter(title__in=DEMO_WEBINAR_LINKS):
            services.update_webinar(
                acting_user=advisor,
                webinar=webinar,
                title=webinar.title,
                description=webinar.description,
                source_url=DEMO_WEBINAR_LINKS[webinar.title],
                active=webinar.active,
            )

    def _trainer_of(self, company: Company) -> User:
        existing = company.trainers.select_related("user").first()
        if existing is not None:
            return existing.user
        from stagekans.accounts.roles import Role
        from stagekans.accounts.services import create_user
        from stagekans.companies import services as company_services

        # No password: these demo colleagues never log in (and hashing would slow the seed).
        user = create_user(
            acting_user=None,
            username=f"opleider-{company.kvk_number}",
            email=f"opleider-{company.kvk_number}@example.nl",
            password=None,
            role=Role.COMPANY_TRAINER,
            first_name=self.b.fake.first_name(),
            last_name=self.b.fake.last_name(),
        )
        company_services.add_trainer(
            acting_user=None, company=company, user=user, is_company_admin=True
        )
        return user

    def _answers(self, maturity: float) -> dict[int, int]:
        version = selectors.current_version()
        assert version is not None
        answers = {}
        for question in selectors.questions_of(version):
            options = list(question.options.all())
            # A more mature company more often picks the better answers.
            weights = [(1 - maturity) ** 2 + 0.02, 0.3, 2 * maturity**2 + 0.02][: len(options)]
            answers[question.pk] = self.rng.choices(options, weights=weights, k=1)[0].pk
        return answers

    def _scan(self, trainer: User, maturity: float, days_ago: int) -> None:
        version = selectors.current_version()
        assert version is not None
        services.submit_scan(
            acting_user=trainer,
            company=trainer.trainer.company,
            version=version,
            answers=self._answers(min(maturity, 1.0)),
            completed_at=self.now - dt.timedelta(days=days_ago, hours=self.rng.randint(0, 8)),
        )

    def _scans(self, trainer: User, maturity: float) -> int:
        if self.rng.random() < 0.35:
            self._scan(trainer, maturity, self.rng.randint(200, 400))
            self._scan(trainer, maturity + 0.25, self.rng.randint(5, 150))
            return 2
        self._scan(trainer, maturity, self.rng.randint(5, 300))
        return 1

    def _policy_answers(self, maturity: float) -> services.PolicyAnswers:
        def measure() -> bool:
            return self.rng.random() < 0.3 + 0.6 * maturity

        return {
            "covers_interns": self.rng.random() < 0.85,
            "criteria_in_advance": measure(),
            "anonymised_selection": measure(),
            "structured_interviews": measure(),
            "multiple_assessors": measure(),
            "written_refusal_reasons": measure(),
            "complaint_route": self.rng.choice(COMPLAINT_ROUTES),
            "responsible": self.rng.choice(RESPONSIBLE),
            "notes": "",
        }

    def _policy(self, trainer: User, maturity: float) -> int:
        # One in five policies dates from before the current recognition period.
        days_ago = (
            self.rng.randint(1500, 2000) if self.rng.random() < 0.2 else self.rng.randint(10, 900)
        )
        services.record_policy(
            acting_user=trainer,
            company=trainer.trainer.company,
            answers=self._policy_answers(maturity),
            recorded_at=self.now - dt.timedelta(days=days_ago),
        )
        return 1

    def _trainings(self, trainer: User, advisor: User, webinars: list[Webinar]) -> int:
        chosen = self.rng.sample(webinars, k=self.rng.randint(1, len(webinars)))
        for webinar in chosen:
            services.record_attendance(
                acting_user=advisor if self.rng.random() < 0.4 else trainer,
                trainer=trainer.trainer,
                webinar=webinar,
                attended_on=(self.now - dt.timedelta(days=self.rng.randint(7, 500))).date(),
            )
        return len(chosen)

    def _demo_company(self, trainer: User, advisor: User) -> None:
        self._scan(trainer, 0.1, 380)
        self._scan(trainer, 0.5, 190)
        self._scan(trainer, 0.9, 20)
        services.record_policy(
            acting_user=trainer,
            company=trainer.trainer.company,
            answers=self._policy_answers(0.3),
            recorded_at=self.now - dt.timedelta(days=1600),
        )
        answers: Any = {
            **self._policy_answers(1.0),
            "covers_interns": True,
            "notes": "Herzien na de zelfscan: we selecteren nu anoniem en met twee beoordelaars.",
        }
        services.record_policy(
            acting_user=trainer,
            company=trainer.trainer.company,
            answers=answers,
            document=SimpleUploadedFile("wervingsbeleid.pdf", POLICY_PDF),
            recorded_at=self.now - dt.timedelta(days=30),
        )
        services.record_attendance(
            acting_user=trainer,
            trainer=trainer.trainer,
            webinar=Webinar.objects.get(title="Selecteren zonder vooroordelen"),
            attended_on=(self.now - dt.timedelta(days=60)).date(),
        )
        services.record_attendance(
            acting_user=advisor,
            trainer=trainer.trainer,
            webinar=Webinar.objects.get(title="Objectief oordelen"),
            attended_on=(self.now - dt.timedelta(days=25)).date(),
        )

    def _draft(self, advisor: User) -> None:
        draft = services.create_draft(acting_user=advisor)
        question: ScanQuestion = selectors.questions_of(draft)[0]
        options = [
            {"label": o.label, "points": o.points, "advice": o.advice}
            for o in question.options.all()
        ]
        options[0]["advice"] = (
            "Via uw netwerk bereikt u vooral mensen die op u lijken. Zet elke stagevacature ook op "
            "Stagemarkt.nl en deel haar met ten minste twee scholen in de regio."
        )
        services.update_question(
            acting_user=advisor,
            question=question,
            step=question.step,
            text=question.text,
            help_text=question.help_text,
            options=options,  # type: ignore[arg-type]
        )
