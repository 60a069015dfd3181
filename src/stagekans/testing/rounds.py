"""Builders for matching-round tests: a school with a cohort, recognised companies with places,
a coordinator, trainers and student logins, all made through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from stagekans.accounts.models import User
from stagekans.companies.models import Company, Location
from stagekans.education.models import Programme, Qualification, School, Student
from stagekans.rounds.models import MatchingRound, Place
from stagekans.rounds.services import setup
from stagekans.testing import factories as f

PLACES = ("Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "Woerden")


@dataclass
class RoundWorld:
    school: School
    qualification: Qualification
    programme: Programme
    coordinator: User
    students: list[Student] = field(default_factory=list)
    student_users: list[User] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    trainers: list[User] = field(default_factory=list)


def world(*, students: int = 4, companies: int = 2) -> RoundWorld:
    qualification = cast(Qualification, f.QualificationFactory())
    school = cast(School, f.SchoolFactory())
    programme = cast(Programme, f.ProgrammeFactory(school=school, qualification=qualification))
    coordinator = f.school_staff_user(school)
    w = RoundWorld(school, qualification, programme, coordinator)
    for i in range(students):
        student = cast(
            Student,
            f.StudentFactory(programme=programme, school=school, place=PLACES[i % len(PLACES)]),
        )
        w.students.append(student)
        w.student_users.append(f.student_user(student))
    for i in range(companies):
        company = cast(Company, f.CompanyFactory())
        f.RecognitionFactory(company=company, qualification=qualification)
        w.companies.append(company)
        location = f.LocationFactory(company=company, place=PLACES[i % len(PLACES)])
        w.locations.append(cast(Location, location))
        w.trainers.append(f.trainer_user(company))
    return w


def timetable(start: dt.date | None = None) -> dict[str, dt.date]:
    today = start or dt.date.today()
    return {
        "preference_deadline": today + dt.timedelta(days=7),
        "review_deadline": today + dt.timedelta(days=14),
        "publication_date": today + dt.timedelta(days=21),
        "acceptance_deadline": today + dt.timedelta(days=28),
    }


def make_round(w: RoundWorld, **overrides: Any) -> MatchingRound:
    today = dt.date.today()
    values: dict[str, Any] = {
        "name": "Stageronde voorjaar",
        "programmes": [w.programme],
        "period_start": today + dt.timedelta(days=60),
        "period_end": today + dt.timedelta(days=160),
        "strategy": "central",
        "seed": 20260212,
        "max_distance_km": 100,
        "max_choices": 3,
        **timetable(),
    }
    values.update(overrides)
    return setup.create_round(acting_user=w.coordinator, school=w.school, **values)


def add_places(w: RoundWorld, round_: MatchingRound, capacity: int = 1) -> list[Place]:
    return [
        setup.add_network_place(
            acting_user=w.coordinator,
            round_=round_,
            location=location,
            qualification=w.qualification,
            capacity=capacity,
        )
        for location in w.locations
    ]
