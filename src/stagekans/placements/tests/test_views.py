"""Pages of placements: the role × page matrix and the flows through the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

from stagekans.accounts.roles import Role
from stagekans.placements.models import Agreement, ContactMoment, Placement
from stagekans.placements.workflow import AgreementStatus, PlacementStatus
from stagekans.testing import factories as f
from stagekans.testing import placements as tp

ROLES = [
    "anon",
    "student",
    "other_student",
    "staff",
    "other_staff",
    "trainer",
    "other_trainer",
    "advisor",
    "investigator",
    "meldpunt",
    "analyst",
    "admin",
]

# page → expected status per role, in the order of ROLES.
MATRIX: dict[str, list[int]] = {
    #               anon stu ost sta ost tra otr adv inv mel ana adm
    "list": [302, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    "place": [302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "my_students": [302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "compliance": [302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "compliance_csv": [302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "detail": [302, 200, 404, 200, 404, 200, 404, 403, 403, 403, 403, 403],
    "draft": [302, 403, 404, 200, 404, 403, 404, 403, 403, 403, 403, 403],
    "pdf": [302, 200, 404, 200, 404, 200, 404, 403, 403, 403, 403, 403],
    "evaluate": [302, 200, 404, 200, 404, 200, 404, 403, 403, 403, 403, 403],
}


@pytest.fixture
def matrix_world(db):
    w = tp.world()
    agreement = tp.signed_pok(w)
    other = tp.world()
    users = {
        "anon": None,
        "student": w.student_user,
        "other_student": other.student_user,
        "staff": w.staff_user,
        "other_staff": other.staff_user,
        "trainer": w.trainer_user,
        "other_trainer": other.trainer_user,
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "investigator": f.UserFactory(role=Role.SBB_INVESTIGATOR),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }
    pk = w.placement.pk
    urls = {
        "list": "/stages/",
        "place": "/stages/plaatsen/",
        "my_students": "/stages/mijn-stagiairs/",
        "compliance": "/stages/naleving/",
        "compliance_csv": "/stages/naleving/?formaat=csv",
        "detail": f"/stages/{pk}/",
        "draft": f"/stages/{pk}/overeenkomst/",
        "pdf": f"/stages/overeenkomst/{agreement.pk}.pdf",
        "evaluate": f"/stages/{pk}/evaluatie/",
    }
    return users, urls


@pytest.mark.django_db
def test_role_page_matrix(matrix_world) -> None:
    users, urls = matrix_world
    failures = []
    for page, expected in MATRIX.items():
        for role, status in zip(ROLES, expected, strict=True):
            client = Client()
            if users[role] is not None:
                client.force_login(users[role])
            got = client.get(urls[page]).status_code
            if got != status:
                failures.append(f"{page} as {role}: expected {status}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_posts_are_refused_to_outsiders(matrix_world) -> None:
    users, urls = matrix_world
    placement = Placement.objects.get(pk=int(urls["detail"].split("/")[2]))
    agreement = placement.agreements.get()
    for role in ("other_staff", "other_trainer", "other_student", "advisor"):
        client = Client()
        client.force_login(users[role])
        for url in (
            f"/stages/{placement.pk}/contactmoment/",
            f"/stages/{placement.pk}/contactverzoek/",
            f"/stages/{placement.pk}/begeleider/",
            f"/stages/overeenkomst/{agreement.pk}/tekenen/",
            f"/stages/overeenkomst/{agreement.pk}/intrekken/",
        ):
            assert client.post(url, {"message": "x"}).status_code in (403, 404), (role, url)
    # A trainer of the company may not log contacts or change the begeleider.
    client = Client()
    client.force_login(users["trainer"])
    assert client.post(f"/stages/{placement.pk}/contactmoment/", {}).status_code == 403
    assert client.post(f"/stages/{placement.pk}/begeleider/", {}).status_code == 403
    assert ContactMoment.objects.count() == 0


@pytest.mark.django_db
def test_coordinator_places_drafts_and_parties_sign_in_their_portals() -> None:
    w = tp.world(date_of_birth=dt.date(2010, 2, 2))  # a minor
    Placement.objects.all().delete()
    staff, student, trainer = Client(), Client(), Client()
    staff.force_login(w.staff_user)
    student.force_login(w.student_user)
    trainer.force_login(w.trainer_user)
    kvk = w.location.company.kvk_number

    page = staff.get(f"/stages/plaatsen/?kvk={kvk}")
    assert page.status_code == 200 and w.location.company.name in page.content.decode()
    bad = staff.post(
        f"/stages/plaatsen/?kvk={kvk}",
        {
            "student_number": "000",
            "location": w.location.pk,
            "start_date": "2026-09-07",
            "end_date": "2027-06-25",
        },
    )
    assert "geen student met dit nummer" in bad.content.decode()
    assert not Placement.objects.exists()
    response = staff.post(
        f"/stages/plaatsen/?kvk={kvk}",
        {
            "student_number": w.student.student_number,
            "location": w.location.pk,
            "trainer": w.trainer_user.trainer.pk,
            "supervisor": w.staff.pk,
            "start_date": "2026-09-07",
            "end_date": "2027-06-25",
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stages/{placement.pk}/"

    form = {
        "start_date": "2026-09-07",
        "end_date": "2027-06-25",
        "hours": "800",
        "weekdays": ["1", "2"],
        "work_processes": "B1-K1-W1",
        "assessment": "Praktijkbeoordeling",
        "contact_every_weeks": "0",
        "min_site_visits": "2",
    }
    bad = staff.post(f"/stages/{placement.pk}/overeenkomst/", form)
    assert bad.status_code == 200 and not Agreement.objects.exists()
    form["contact_every_weeks"] = "4"
    assert staff.post(f"/stages/{placement.pk}/overeenkomst/", form).status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.weekdays == 3
    assert staff.post(f"/stages/overeenkomst/{agreement.pk}/versturen/").status_code == 302

    detail = student.get(f"/stages/{placement.pk}/").content.decode()
    assert "Tekenen als student" in detail and "Handtekening ouder vastleggen" in detail
    student.post(f"/stages/overeenkomst/{agreement.pk}/tekenen/")
    assert "Tekenen als leerbedrijf" in trainer.get(f"/stages/{placement.pk}/").content.decode()
    trainer.post(f"/stages/overeenkomst/{agreement.pk}/tekenen/")
    staff.post(f"/stages/overeenkomst/{agreement.pk}/tekenen/")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING  # guardian missing
    student.post(
        f"/stages/overeenkomst/{agreement.pk}/ouder/",
        {"guardian_name": "M. Jansen", "signed_on": "2026-09-01"},
    )
    agreement.refresh_from_db()
    placement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert placement.status == PlacementStatus.ACTIVE

    response = staff.post(
        f"/stages/{placement.pk}/contactmoment/",
        {"held_on": "2026-10-01", "kind": "on_site", "with_student": "on", "notes": "Prima"},
    )
    assert response.status_code == 302 and ContactMoment.objects.count() == 1
    pdf = student.get(f"/stages/overeenkomst/{agreement.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Notes of contacts are for the school only.
    assert "Prima" not in trainer.get(f"/stages/{placement.pk}/").content.decode()
    assert "Prima" in staff.get(f"/stages/{placement.pk}/").content.decode()


@pytest.mark.django_db
def test_overviews_show_overdue_first_csv_and_constant_queries(
    django_assert_max_num_queries,
) -> None:
    school = f.SchoolFactory()
    worlds = [tp.world(school=school) for _ in range(2)]
    for w in worlds:
        tp.signed_pok(w)
    staff = worlds[0].staff
    Placement.objects.update(supervisor=staff)
    Placement.objects.filter(pk=worlds[1].placement.pk).update(next_contact_due=dt.date(2099, 1, 1))
    client = Client()
    client.force_login(worlds[0].staff_user)
    few: list[str] = []

    def count(execute, sql, *args):
        few.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        page = client.get("/stages/mijn-stagiairs/").content.decode()
    assert len(few) <= 20
    first, second = (escape(w.student.family_name) for w in worlds)
    assert page.index(first) < page.index(second)
    assert "te laat" in page
    with django_assert_max_num_queries(20):
        page = client.get("/stages/naleving/").content.decode()
    assert "Per team" in page and "50" in page
    rows = list(
        csv.reader(
            io.StringIO(client.get("/stages/naleving/?formaat=csv").content.decode()), delimiter=";"
        )
    )
    assert rows[0][0] == "indeling"
    team = [r for r in rows if r[0] == "team"]
    assert team and team[0][2] == "2" and team[0][3] == "1"
    for _ in range(3):
        tp.signed_pok(tp.world(school=school))
    Placement.objects.update(supervisor=staff)
    with django_assert_max_num_queries(len(few)):
        client.get("/stages/mijn-stagiairs/")
    with django_assert_max_num_queries(len(few)):
        client.get("/stages/naleving/")
