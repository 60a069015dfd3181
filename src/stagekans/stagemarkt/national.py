"""A national-size, deterministic data set for the stagemarkt (~250,000 companies, ~300,000
vacancies) loaded in bulk: COPY on PostgreSQL, bulk_create elsewhere.

Bulk loading bypasses the services on purpose (one audited service call per row would take
hours); the rows written obey the same rules: every published vacancy belongs to a company
validly recognised for its qualification, and every recognition has its history row.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from stagekans.companies.models import Company, Location, SizeClass
from stagekans.demo.builder import COMPANY_SUFFIXES, QUALIFICATIONS
from stagekans.education.models import Leerweg, Qualification
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import Place, dutch_places
from stagekans.register.models import Recognition, RecognitionStatusChange
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt.models import CompanyProfile, Feature, Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus

BATCH = 20_000
JITTER_KM = 4.0
FEATURE_TEXTS = [
    "Bij ons telt wat je kunt, niet waar je vandaan komt.",
    "We passen de begeleiding aan op wat jij nodig hebt.",
    "Ons pand is rolstoeltoegankelijk en we hebben een stilteruimte.",
    "Parttime stage lopen kan, bijvoorbeeld naast mantelzorg.",
]
TITLES = [
    "Stage {q}",
    "Leerwerkplek {q}",
    "BPV-plaats {q}",
    "Stagiair {q}",
    "Praktijkplaats {q}",
]


@dataclass
class NationalResult:
    companies: int = 0
    locations: int = 0
    recognitions: int = 0
    vacancies: int = 0
    published: int = 0


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Insert rows (explicit primary keys included) in bulk; returns the number written."""
    columns = [str(_field(model, name).column) for name in fields]
    count = 0
    if connection.vendor == "postgresql":
        # COPY does not apply Django's defaults: give every other NOT NULL column with a
        # default (or an empty text) its value, so new model fields never break the seed.
        named = set(fields)
        defaults = [
            f
            for f in model._meta.concrete_fields
            if f.name not in named
            and not f.primary_key
            and not f.null
            and (f.has_default() or f.empty_strings_allowed)
        ]
        if defaults:
            columns += [str(f.column) for f in defaults]
            extra = tuple(f.get_default() for f in defaults)
            rows = (tuple(row) + extra for row in rows)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch: list[models.Model] = []
    attnames = [_field(model, name).attname for name in fields]
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) >= BATCH:
            model._default_manager.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_create(batch)
        count += len(batch)
    return count


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class NationalBuilder:
    def __init__(
        self,
        *,
        seed: int,
        companies: int,
        vacancies: int,
        progress: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        self.rng = random.Random(seed)
        self.n_companies, self.n_vacancies = companies, vacancies
        self.progress = progress
        self.places = list(dutch_places())
        self.weights = [p.population for p in self.places]
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        self.surnames = sorted({fake.last_name() for _ in range(3000)})
        self.streets = sorted({fake.street_name() for _ in range(3000)})

    def _pc4_by_place(self) -> dict[str, list[str]]:
        """Every real place gets PC4 areas (kept when they exist, as made by the demo data)."""
        by_place: dict[str, list[str]] = {}
        for code, place_name in PostcodeArea.objects.values_list("pc4", "place"):
            by_place.setdefault(place_name, []).append(code)
        taken = set(PostcodeArea.objects.values_list("pc4", flat=True))
        new, candidate = [], 1000
        for place in sorted(self.places, key=lambda p: p.name):
            while len(by_place.setdefault(place.name, [])) < 3:
                while f"{candidate:04d}" in taken:
                    candidate += 1
                pc4 = f"{candidate:04d}"
                taken.add(pc4)
                by_place[place.name].append(pc4)
                new.append(
                    PostcodeArea(
                        pc4=pc4,
                        place=place.name,
                        province=place.province,
                        latitude=round(place.latitude + self.rng.uniform(-0.01, 0.01), 5),
                        longitude=round(place.longitude + self.rng.uniform(-0.015, 0.015), 5),
                    )
                )
        PostcodeArea.objects.bulk_create(new, ignore_conflicts=True)
        return by_place

    def _qualifications(self) -> list[Qualification]:
        existing = set(Qualification.objects.values_list("crebo", flat=True))
        Qualification.objects.bulk_create(
            [
                Qualification(crebo=crebo, title=title, niveau=niveau, sector=sector)
                for crebo, title, niveau, sector in QUALIFICATIONS
                if crebo not in existing
            ]
        )
        return list(Qualification.objects.order_by("crebo"))

    def _jitter(self, place: Place) -> tuple[float, float]:
        import math

        dlat = JITTER_KM / 111.2
        dlon = JITTER_KM / (111.2 * math.cos(math.radians(place.latitude)))
        return (
            round(place.latitude + self.rng.uniform(-dlat, dlat), 6),
            round(place.longitude + self.rng.uniform(-dlon, dlon), 6),
        )

    @transaction.atomic
    def build(self) -> NationalResult:
        rng, result = self.rng, NationalResult()
        pc4 = self._pc4_by_place()
        qualifications = self._qualifications()
        by_sector: dict[str, list[Qualification]] = {}
        for q in qualifications:
            by_sector.setdefault(q.sector, []).append(q)
        sectors = sorted(by_sector)
        used_kvk = set(Company.objects.values_list("kvk_number", flat=True))
        today = timezone.localdate()
        now = timezone.now()
        letters = "ABCDEGHJKLMNPRTVWXZ"

        # companies ------------------------------------------------------------------------
        first_company = _next_id(Company)
        companies: list[tuple[Any, ...]] = []
        company_sector: list[str] = []
        kvk = 50_000_000
        for i in range(self.n_companies):
            while str(kvk) in used_kvk:
                kvk += 1
            sector = rng.choice(sectors)
            company_sector.append(sector)
            name = f"{rng.choice(self.surnames)} {rng.choice(COMPANY_SUFFIXES)}"
            companies.append(
                (first_company + i, str(kvk), name, "", sector, rng.choice(SizeClass.values), "")
            )
            kvk += 1
        result.companies = _insert(
            Company,
            ["id", "kvk_number", "name", "sbi_code", "sector", "size_class", "website"],
            companies,
        )
        self.progress(f"{result.companies:,} leerbedrijven")

        # locations ------------------------------------------------------------------------
        first_location = _next_id(Location)
        locations_of: list[list[tuple[int, float, float, str]]] = []
        rows = []
        loc_id = first_location
        for i in range(self.n_companies):
            own = []
            for _ in range(2 if rng.random() < 0.2 else 1):
                place = rng.choices(self.places, weights=self.weights, k=1)[0]
                lat, lon = self._jitter(place)
                postcode = (
                    f"{rng.choice(pc4[place.name])} {rng.choice(letters)}{rng.choice(letters)}"
                )
                rows.append(
                    (
                        loc_id,
                        first_company + i,
                        "",
                        rng.choice(self.streets),
                        str(rng.randint(1, 250)),
                        postcode,
                        place.name,
                        place.province,
                        lat,
                        lon,
                    )
                )
                own.append((loc_id, lat, lon, place.name))
                loc_id += 1
            locations_of.append(own)
        result.locations = _insert(
            Location,
            [
                "id",
                "company",
                "name",
                "street",
                "house_number",
                "postcode",
                "place",
                "province",
                "latitude",
                "longitude",
            ],
            rows,
        )
        self.progress(f"{result.locations:,} vestigingen")

        # recognitions and their history ---------------------------------------------------
        first_recognition = _next_id(Recognition)
        recognitions, history = [], []
        recognised_pairs: list[tuple[int, Qualification]] = []
        rec_id = first_recognition
        for i in range(self.n_companies):
            pool = by_sector[company_sector[i]]
            for q in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
                start: dt.date | None
                until: dt.date | None
                if rng.random() < 0.9:
                    start = today - dt.timedelta(days=rng.randint(0, 3 * 365))
                    until = (
                        start.replace(year=start.year + 4)
                        if not (start.month == 2 and start.day == 29)
                        else start.replace(year=start.year + 4, day=28)
                    )
                    status = RecognitionStatus.RECOGNISED
                    recognised_pairs.append((i, q))
                else:
                    start = until = None
                    status = RecognitionStatus.REQUESTED
                recognitions.append(
                    (rec_id, first_company + i, q.pk, status.value, start, until, True)
                )
                history.append((rec_id, status.value, "Landelijke dataset (seed_national).", now))
                rec_id += 1
        result.recognitions = _insert(
            Recognition,
            [
                "id",
                "company",
                "qualification",
                "status",
                "valid_from",
                "valid_until",
                "publication_consent",
            ],
            recognitions,
        )
        _insert(RecognitionStatusChange, ["recognition", "status", "reason", "at"], history)
        self.progress(f"{result.recognitions:,} erkenningen")

        # voluntary inclusivity profiles ---------------------------------------------------
        profile_features: dict[int, int] = {}
        profiles = []
        for i in range(self.n_companies):
            if rng.random() < 0.35:
                mask = sum(f for f in Feature if rng.random() < 0.3)
                profile_features[i] = mask
                profiles.append((first_company + i, mask, rng.choice(FEATURE_TEXTS)))
        _insert(CompanyProfile, ["company", "features", "inclusivity_text"], profiles)
        self.progress(f"{len(profiles):,} inclusiviteitsprofielen")

        # vacancies ------------------------------------------------------------------------
        def vacancy_rows() -> Iterable[tuple[Any, ...]]:
            statuses = [
                VacancyStatus.PUBLISHED,
                VacancyStatus.DRAFT,
                VacancyStatus.FILLED,
                VacancyStatus.WITHDRAWN,
            ]
            for n in range(self.n_vacancies):
                index, q = recognised_pairs[rng.randrange(len(recognised_pairs))]
                loc_id, lat, lon, place_name = rng.choice(locations_of[index])
                status = rng.choices(statuses, weights=[85, 8, 4, 3], k=1)[0]
                if status == VacancyStatus.PUBLISHED:
                    result.published += 1
                features = sum(f for f in Feature if rng.random() < 0.2)
                start = today + dt.timedelta(days=rng.randint(-60, 300))
                end = start + dt.timedelta(days=rng.randint(60, 300))
                published_at = now - dt.timedelta(minutes=n) if status != "draft" else None
                yield (
                    first_company + index,
                    loc_id,
                    q.pk,
                    rng.choice(Leerweg.values),
                    rng.choice(TITLES).format(q=q.title.lower()),
                    "Je leert het vak in de praktijk, met een vaste praktijkopleider.",
                    start,
                    end,
                    rng.randint(2, 5),
                    rng.choice([0, 150, 250, 300, 400, 500]),
                    rng.choice([1, 1, 1, 2, 3]),
                    features,
                    status.value,
                    now,
                    now,
                    published_at,
                    q.niveau,
                    q.sector,
                    lat,
                    lon,
                    place_name,
                    features | profile_features.get(index, 0),
                )

        result.vacancies = _insert(
            Vacancy,
            [
                "company",
                "location",
                "qualification",
                "leerweg",
                "title",
                "description",
                "start_date",
                "end_date",
                "days_per_week",
                "allowance",
                "places",
                "features",
                "status",
                "created_at",
                "updated_at",
                "published_at",
                "niveau",
                "sector",
                "latitude",
                "longitude",
                "place",
                "search_features",
            ],
            vacancy_rows(),
        )
        self.progress(f"{result.vacancies:,} vacatures")
        if connection.vendor == "postgresql":
            _reset_sequences([Company, Location, Recognition])
        return result


def analyse() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Company, Location, Recognition, CompanyProfile, Vacancy):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
