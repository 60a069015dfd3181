"""What the database holds now, counted, for `make run` and the README."""

from __future__ import annotations


def current_counts() -> list[tuple[str, int]]:
    from stagekans.applications.models import Application
    from stagekans.cases.models import Case, InvestigationTeam
    from stagekans.companies.models import Company
    from stagekans.education.models import School, Student
    from stagekans.meldpunt.models import Report
    from stagekans.notifications.models import OutboxMessage
    from stagekans.register.models import Recognition, RevocationRequest
    from stagekans.stagemarkt.models import Vacancy
    from stagekans.worklist.models import SchoolTask

    return [
        ("scholen", School.objects.count()),
        ("studenten", Student.objects.count()),
        ("leerbedrijven", Company.objects.count()),
        ("erkenningen", Recognition.objects.count()),
        ("vacatures", Vacancy.objects.count()),
        ("sollicitaties", Application.objects.count()),
        ("meldingen", Report.objects.count()),
        ("onderzoekszaken", Case.objects.count()),
        ("onderzoeksteams", InvestigationTeam.objects.count()),
        ("intrekkingen (voorgesteld of besloten)", RevocationRequest.objects.count()),
        ("taken voor scholen", SchoolTask.objects.count()),
        ("uitgaande e-mails", OutboxMessage.objects.count()),
    ]
