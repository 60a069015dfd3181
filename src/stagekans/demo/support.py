"""Demo data for the support app: the referral directory (through the importer), school signals
(one reported with consent, by name and anonymously; one closed, one anonymised after the
retention period), requests to the expert team in every state and referrals the reporter can
see. Everything goes through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.accounts.roles import Role
from stagekans.accounts.services import create_user
from stagekans.companies.models import Company
from stagekans.education import services as education_services
from stagekans.education.models import School
from stagekans.meldpunt import services as meldpunt_services
from stagekans.meldpunt.models import FollowUp, Ground, Phase, ReporterRole
from stagekans.support import services
from stagekans.support.importer import COLUMNS, import_directory
from stagekans.support.models import (
    ConsentGivenBy,
    ConsentMethod,
    SchoolSignal,
    SignalOutcome,
    SupportOrganisation,
    SupportRequest,
    SupportTopic,
    Urgency,
)

# A real subset of the public list: the regional antidiscriminatievoorzieningen (ADV) as they
# present themselves on their own sites, the national organisations, and the police. Only
# public contact routes (website, the published general numbers).
DIRECTORY: list[dict[str, str]] = [
    {
        "code": "adv-art1-midden-nederland",
        "kind": "adv",
        "name": "Art.1 Midden Nederland",
        "region": "Provincie Utrecht",
        "municipalities": "Utrecht;Amersfoort;Nieuwegein;Zeist;Veenendaal;Houten;Woerden",
        "province": "UT",
        "phone": "030-2134400",
        "website": "https://www.art1mn.nl",
        "description": "Antidiscriminatievoorziening: luistert, adviseert en helpt bij een klacht.",
    },
    {
        "code": "adv-radar-rotterdam",
        "kind": "adv",
        "name": "RADAR",
        "region": "Rotterdam-Rijnmond",
        "municipalities": "Rotterdam;Schiedam;Vlaardingen;Capelle aan den IJssel;Barendrecht",
        "province": "ZH",
        "website": "https://www.radar.nl",
        "description": "Antidiscriminatievoorziening voor Rotterdam en omgeving.",
    },
    {
        "code": "adv-mdra-amsterdam",
        "kind": "adv",
        "name": "Meldpunt Discriminatie Regio Amsterdam (MDRA)",
        "region": "Regio Amsterdam",
        "municipalities": "Amsterdam;Amstelveen;Diemen;Ouder-Amstel;Uithoorn;Aalsmeer",
        "province": "NH",
        "website": "https://www.mdra.nl",
        "description": "Meldpunt en antidiscriminatievoorziening voor de regio Amsterdam.",
    },
    {
        "code": "adv-bdz-haaglanden",
        "kind": "adv",
        "name": "Bureau Discriminatiezaken Hollands Midden en Haaglanden",
        "region": "Haaglanden en Hollands Midden",
        "municipalities": "Den Haag;Delft;Leiden;Zoetermeer;Rijswijk;Westland;Alphen aan den Rijn",
        "province": "ZH",
        "website": "https://www.discriminatie.nl",
        "description": "Antidiscriminatievoorziening voor Haaglanden en Hollands Midden.",
    },
    {
        "code": "adv-groningen",
        "kind": "adv",
        "name": "Discriminatie Meldpunt Groningen",
        "region": "Provincie Groningen",
        "municipalities": "Groningen;Midden-Groningen;Eemsdelta;Westerkwartier;Het Hogeland",
        "province": "GR",
        "website": "https://www.discriminatiemeldpuntgroningen.nl",
        "description": "Antidiscriminatievoorziening voor de provincie Groningen.",
    },
    {
        "code": "adv-tumba-fryslan",
        "kind": "adv",
        "name": "Tûmba",
        "region": "Fryslân",
        "municipalities": "Leeuwarden;Sneek;Heerenveen;Smallingerland;De Fryske Marren",
        "province": "FR",
        "website": "https://www.tumba.nl",
        "description": "Expertisecentrum gelijke behandeling en antidiscriminatievoorziening "
        "in Fryslân.",
    },
    {
        "code": "discriminatie-nl",
        "kind": "other",
        "name": "Discriminatie.nl",
        "region": "Heel Nederland",
        "municipalities": "",
        "province": "",
        "website": "https://www.discriminatie.nl",
        "description": "Landelijke site van de antidiscriminatievoorzieningen: vind de voorziening "
        "in jouw gemeente en meld online.",
    },
    {
        "code": "college-rechten-van-de-mens",
        "kind": "human_rights",
        "name": "College voor de Rechten van de Mens",
        "region": "Heel Nederland",
        "municipalities": "",
        "province": "",
        "phone": "030-8883888",
        "website": "https://www.mensenrechten.nl",
        "description": "Oordeelt gratis of een leerbedrijf of school onderscheid maakte dat "
        "verboden is.",
    },
    {
        "code": "politie",
        "kind": "police",
        "name": "Politie",
        "region": "Heel Nederland",
        "municipalities": "",
        "province": "",
        "phone": "0900-8844",
        "website": "https://www.politie.nl",
        "description": "Aangifte doen van discriminatie of bedreiging. Bij direct gevaar: 112.",
    },
]

SIGNALS = [
    (
        "Een student vertelt dat de praktijkopleider bij de kennismaking zei dat ze 'met die "
        "hoofddoek niet achter de balie' kan.",
        [Ground.RELIGION],
        Phase.RECRUITMENT,
    ),
    (
        "Twee studenten met een niet-Nederlands klinkende achternaam kregen geen reactie; een "
        "klasgenoot met dezelfde cijfers werd meteen uitgenodigd.",
        [Ground.ORIGIN],
        Phase.RECRUITMENT,
    ),
    (
        "Tijdens de stage maakt een collega herhaaldelijk grappen over de huidskleur van de "
        "stagiair; de begeleider grijpt niet in.",
        [Ground.ORIGIN],
        Phase.DURING,
    ),
    (
        "De vacature vraagt om 'Nederlands als moedertaal' terwijl het werk dat niet vereist.",
        [Ground.NATIONALITY, Ground.ORIGIN],
        Phase.RECRUITMENT,
    ),
    (
        "Een student in een rolstoel hoorde dat 'de werkplek daar niet op is ingericht', zonder "
        "dat naar aanpassingen is gekeken.",
        [Ground.DISABILITY],
        Phase.RECRUITMENT,
    ),
]
CONVERSATIONS = {
    SignalOutcome.COMPANY_ADJUSTS: "Gesprek met de praktijkopleider en de bedrijfsleider. Het "
    "bedrijf erkent dat dit niet goed ging en past de selectie aan: vaste criteria vooraf.",
    SignalOutcome.COMPANY_DISPUTES: "Gebeld met de praktijkopleider. Hij herkent het beeld niet "
    "en zegt dat de student 'gewoon niet geschikt' was.",
    SignalOutcome.NO_RESPONSE: "Twee keer gemaild en één keer gebeld; geen reactie van het "
    "bedrijf.",
    SignalOutcome.RESOLVED: "Het bedrijf heeft excuses gemaakt; de student loopt er nu met plezier "
    "stage.",
}
REQUESTS = [
    (
        SupportTopic.RECRUITMENT,
        "Hoe maken we onze eerste selectie anoniem, zonder dat we goede kandidaten missen?",
    ),
    (
        SupportTopic.INCIDENT,
        "Een student is op de stageplek uitgescholden. Hoe gaan we het "
        "gesprek met het leerbedrijf aan?",
    ),
    (
        SupportTopic.SOCIAL_SAFETY,
        "Wij willen een vertrouwenspersoon voor stagiairs. Waar moeten we op letten?",
    ),
    (
        SupportTopic.STUDENT_GUIDANCE,
        "Een student durft na een afwijzing niet meer te "
        "solliciteren. Hoe kunnen we haar begeleiden?",
    ),
    (
        SupportTopic.POLICY,
        "Wat moet er in ons beleid voor gelijke kansen bij werving staan (ook voor stagiairs)?",
    ),
    (
        SupportTopic.OTHER,
        "Kunnen jullie een teamsessie 'Objectief oordelen' voor onze praktijkopleiders verzorgen?",
    ),
]
ADVICE = (
    "Leg vooraf vast welke eisen echt nodig zijn, gebruik voor iedereen dezelfde vragen en laat "
    "twee mensen beoordelen. Zie ook de webinar 'Selecteren zonder vooroordelen' van SBB."
)


class SupportDemo:
    def __init__(self, builder: Any, schools: list[School], companies: list[Company]) -> None:
        self.b = builder
        self.rng = builder.rng
        self.schools, self.companies = schools, companies
        self.users = {
            u.username: u for u in User.objects.filter(email__endswith="@demo.stagekans.nl")
        }
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, int]:
        self._directory()
        self._signals()
        self._requests()
        self._referrals()
        return self.counts

    # -- referral directory ------------------------------------------------------------------
    def _directory(self) -> None:
        rows = [",".join(COLUMNS)]
        entries = list(DIRECTORY)
        for school in self.schools:
            slug = "".join(ch for ch in school.name.lower() if ch.isalnum())[:24]
            entries.append(
                {
                    "code": f"vertrouwenspersoon-{school.brin.lower()}",
                    "kind": "school_confidant",
                    "name": f"Vertrouwenspersoon {school.name}",
                    "region": school.place,
                    "province": school.province,
                    "email": f"vertrouwenspersoon@{slug}.example.nl",
                    "description": "Vertrouwelijk gesprek voor studenten van de school, ook "
                    "over wat er bij je stage gebeurde.",
                }
            )
        for entry in entries:
            rows.append(",".join(_csv_cell(entry.get(column, "")) for column in COLUMNS))
        report = import_directory(acting_user=None, text="\n".join(rows) + "\n", source="demo")
        if not report.ok:
            raise ValueError("; ".join(str(e) for e in report.errors))
        self.counts["organisaties in de verwijsgids"] = report.created

    # -- school signals ----------------------------------------------------------------------
    def _staff_of(self, school: School, index: int) -> User:
        if school.pk == self.schools[0].pk and "stagecoordinator" in self.users:
            return self.users["stagecoordinator"]
        username = f"bpv-{school.brin.lower()}-{index}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                acting_user=None,
                username=username,
                email=f"{username}@school.example.nl",
                password=None,
                role=Role.SCHOOL_STAFF,
                first_name=self.b.fake.first_name(),
                last_name=self.b.fake.last_name(),
            )
            education_services.add_school_staff(acting_user=None, school=school, user=user)
        return user

    def _signals(self) -> None:
        companies = self.companies
        outcomes = list(CONVERSATIONS)
        logged = []
        # One company with many signals (from every school): SBB sees its count; the others
        # have a few, which SBB sees as "fewer than k".
        busy = companies[-1]
        plan: list[tuple[School, Company]] = []
        for index in range(12):
            plan.append((self.schools[index % len(self.schools)], busy))
        for index, company in enumerate(companies[-8:-1]):
            plan.append((self.schools[index % len(self.schools)], company))
        for index, (school, company) in enumerate(plan):
            staff = self._staff_of(school, 1)
            observed, grounds, phase = SIGNALS[index % len(SIGNALS)]
            students = list(school.students.order_by("id")[:20])
            outcome = SignalOutcome.NO_CONVERSATION_YET if index % 5 == 4 else outcomes[index % 4]
            logged.append(
                services.log_signal(
                    acting_user=staff,
                    company=company,
                    # Every other signal of each school names a student (whatever the number
                    # of schools), so the demo school has signals with and without one.
                    student=students[index % len(students)]
                    if students and (index // len(self.schools)) % 2
                    else None,
                    observed=observed,
                    observed_on=self.today - dt.timedelta(days=20 + index),
                    grounds=grounds,
                    phase=phase,
                    conversation=""
                    if outcome == SignalOutcome.NO_CONVERSATION_YET
                    else CONVERSATIONS[outcome],
                    conversation_on=None
                    if outcome == SignalOutcome.NO_CONVERSATION_YET
                    else self.today - dt.timedelta(days=10 + index % 5),
                    outcome=outcome,
                )
            )
        # The demo school's signals: one reported by name with consent, one anonymously.
        own = [s for s in logged if s.school_id == self.schools[0].pk]
        staff = self._staff_of(self.schools[0], 1)
        named = next((s for s in own if s.student_id), None)
        if named is not None:
            services.report_signal(
                acting_user=staff,
                signal=named,
                consent_given=True,
                given_by=ConsentGivenBy.STUDENT,
                method=ConsentMethod.IN_WRITING,
                given_on=self.today - dt.timedelta(days=2),
                share_identity=True,
                share_identity_with_sbb=True,
                follow_up=FollowUp.INVESTIGATION,
            )
        anonymous = next((s for s in own if s.student_id is None and s.report_id is None), None)
        if anonymous is not None:
            services.report_signal(
                acting_user=staff,
                signal=anonymous,
                consent_given=True,
                given_by=ConsentGivenBy.GUARDIAN,
                method=ConsentMethod.PHONE,
                given_on=self.today - dt.timedelta(days=1),
                share_identity=False,
                share_identity_with_sbb=False,
                follow_up=FollowUp.SUPPORT,
            )
        self._closed_signals(own, staff)
        self.counts["signalen van scholen"] = len(logged)

    def _closed_signals(self, own: list[SchoolSignal], staff: User) -> None:
        """Retention on screen: one signal of the demo school closed recently, one closed longer
        ago than SCHOOL_SIGNAL_RETENTION_DAYS and anonymised by the retention job itself."""
        open_ = list(
            SchoolSignal.objects.filter(pk__in=[s.pk for s in own], report__isnull=True)
            .exclude(outcome=SignalOutcome.NO_RESPONSE)
            .order_by("pk")
        )
        if len(open_) < 2:
            return
        recent, old = open_[0], open_[1]
        services.close_signal(acting_user=staff, signal=recent)
        services.close_signal(acting_user=staff, signal=old)
        # Closed in the past (like the meldpunt scenarios' backdated receipts), then the real
        # retention job anonymises it.
        closed_at = timezone.now() - dt.timedelta(days=settings.SCHOOL_SIGNAL_RETENTION_DAYS + 30)
        SchoolSignal.objects.filter(pk=old.pk).update(closed_at=closed_at)
        self.counts["signalen geanonimiseerd"] = services.anonymise_expired_signals()

    # -- expert team -------------------------------------------------------------------------
    def _requesters(self) -> list[User]:
        requesters = [self._staff_of(school, 1) for school in self.schools]
        if "praktijkopleider" in self.users:
            requesters.append(self.users["praktijkopleider"])
        return requesters

    def _requests(self) -> None:
        team = self.users.get("deskundigteam")
        if team is None:
            return
        requesters = self._requesters()
        now = timezone.now()
        urgencies = [Urgency.NORMAL, Urgency.NORMAL, Urgency.HIGH, Urgency.LOW]
        made = 0
        for index in range(60):
            # Most questions are about recruitment: enough for the overview to show some cells.
            topic, text = REQUESTS[0] if index % 3 == 0 else REQUESTS[index % len(REQUESTS)]
            item = services.submit_support_request(
                acting_user=requesters[index % len(requesters)],
                topic=topic,
                urgency=Urgency.NORMAL
                if topic == SupportTopic.RECRUITMENT
                else urgencies[index % 4],
                description=text,
            )
            made += 1
            stage = index % 5  # 0 new, 1 taken, 2 advice given, 3-4 closed
            if stage >= 1:
                services.take_request(acting_user=team, request=item)
            if stage >= 2:
                services.give_advice(acting_user=team, request=item, body=ADVICE)
            if stage >= 3:
                services.log_follow_up(
                    acting_user=team,
                    request=item,
                    body="Nagebeld: het advies is toegepast bij de volgende vacature.",
                )
                services.close_request(acting_user=team, request=item)
            # Spread the requests over the past weeks (the only demo shortcut here), with a
            # realistic time to the first advice.
            created = now - dt.timedelta(days=90 - index, hours=self.rng.randint(0, 8))
            updates: dict[str, Any] = {"created_at": created}
            if stage >= 1:
                updates["taken_at"] = created + dt.timedelta(hours=self.rng.randint(1, 20))
            if stage >= 2:
                updates["first_response_at"] = created + dt.timedelta(
                    hours=self.rng.randint(20, 120)
                )
            SupportRequest.objects.filter(pk=item.pk).update(**updates)
        self.counts["hulpvragen aan het deskundig team"] = made

    # -- referrals ---------------------------------------------------------------------------
    def _referrals(self) -> None:
        meldpunt, student = self.users.get("meldpunt"), self.users.get("student")
        if meldpunt is None or student is None:
            return
        report = meldpunt_services.submit_report(
            acting_user=student,
            reporter_role=ReporterRole.STUDENT,
            what_happened="Op mijn stage zeggen collega's steeds dat ik 'wel erg goed Nederlands "
            "spreek voor iemand zoals ik'. Ik wil graag met iemand praten over wat ik kan doen.",
            occurred_on=self.today - dt.timedelta(days=6),
            grounds=[Ground.ORIGIN],
            phase=Phase.DURING,
            follow_up=FollowUp.SUPPORT,
            company=self.companies[-2],
        ).report
        organisation = SupportOrganisation.objects.filter(
            active=True, kind="adv", province=report.province
        ).order_by("name").first() or SupportOrganisation.objects.get(code="discriminatie-nl")
        services.refer_report(
            acting_user=meldpunt,
            report=report,
            organisation=organisation,
            note="Student wil steun; regionale ADV past het best.",
        )
        self.counts["doorverwijzingen via de verwijsgids"] = 1


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def build_support_demo(
    builder: Any, schools: list[School], companies: list[Company]
) -> dict[str, int]:
    return SupportDemo(builder, schools, companies).build()
