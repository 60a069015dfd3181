"""What a revocation that came from a case means for the schools involved in that case.

Registered in register.hooks (cases/apps.py): before the second adviser approves, the preview
names the schools that will get a task; when the revocation takes effect, each of them gets a
school task "Vervangende stageplek zoeken" in the same transaction (worklist.services). The
data model has no placements yet, so the schools known to be concerned are those of the case:
the schools of the students who reported, the school SBB selected, and the schools heard.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.cases import selectors
from stagekans.cases.models import Case, CaseRevocation, HearingRequest, Party
from stagekans.education.models import School


def cases_behind(recognition: Any) -> list[Case]:
    """The cases whose decision asked for the revocation of this recognition."""
    ids = CaseRevocation.objects.filter(revocation__recognition=recognition).values_list(
        "decision__case_id", flat=True
    )
    return list(Case.objects.filter(pk__in=ids).order_by("pk"))


def schools_affected(recognition: Any, *, also: Case | None = None) -> list[tuple[School, Case]]:
    """The schools concerned by the cases behind the revocation (and by `also`, the case whose
    decision an adviser is about to turn into a proposal)."""
    pairs: dict[int, Case] = {}
    cases = cases_behind(recognition)
    if also is not None and all(case.pk != also.pk for case in cases):
        cases.append(also)
    for case in cases:
        ids = set(selectors.schools_concerned(case))
        ids |= set(
            HearingRequest.objects.filter(case=case, party=Party.SCHOOL)
            .exclude(school__isnull=True)
            .values_list("school_id", flat=True)
        )
        for school_id in ids:
            pairs.setdefault(school_id, case)
    schools = School.objects.in_bulk(list(pairs))
    return sorted(
        ((schools[pk], case) for pk, case in pairs.items()), key=lambda pair: pair[0].name
    )


def describe_revocation_effects(
    *, recognition: Any, revocation: Any = None, case: Case | None = None
) -> list[str]:
    affected = schools_affected(recognition, also=case)
    if not affected:
        return [
            _(
                "Er zijn geen scholen bekend met studenten bij dit leerbedrijf; er worden geen "
                "taken voor scholen aangemaakt."
            )
        ]
    return [
        ngettext(
            "%(n)d school krijgt een taak om een vervangende stageplek te zoeken: %(names)s.",
            "%(n)d scholen krijgen een taak om een vervangende stageplek te zoeken: %(names)s.",
            len(affected),
        )
        % {"n": len(affected), "names": ", ".join(school.name for school, _case in affected)}
    ]


def create_school_tasks(*, recognition: Any, acting_user: Any) -> None:
    """Revocation hook: a task for every school concerned by the case behind the revocation."""
    from stagekans.worklist.models import SchoolTaskKind
    from stagekans.worklist.services import create_school_task

    for school, case in schools_affected(recognition):
        create_school_task(
            acting_user=acting_user,
            school=school,
            kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT,
            recognition=recognition,
            subject=_(
                "SBB heeft de erkenning van %(company)s voor %(qualification)s (crebo %(crebo)s) "
                "ingetrokken na onderzoek in zaak %(number)s. Heeft een student van uw school "
                "daar een stage, een praktijkovereenkomst of een sollicitatie lopen? Zoek samen "
                "met de student een vervangende stageplek."
            )
            % {
                "company": recognition.company.name,
                "qualification": recognition.qualification.title,
                "crebo": recognition.qualification.crebo,
                "number": case.number,
            },
            dedup_key=f"revocation:{recognition.pk}:school:{school.pk}",
        )


def revocation_asks(*, user: Any) -> list[Any]:
    """Register hook: decided cases whose measure is revocation and that wait for an adviser
    to propose it (only for users who may propose; only the anonymised decision)."""
    from django.urls import reverse

    from stagekans.register.hooks import RevocationAsk

    if not user.is_authenticated or not user.has_perm("register.propose_revocation"):
        return []
    return [
        RevocationAsk(
            company=decision.case.company_label,
            reference=f"{decision.case.number}/B{decision.pk}",
            asked_on=decision.decided_on,
            summary=decision.reasons,
            url=reverse("cases:revocation_ask", kwargs={"decision_pk": decision.pk}),
        )
        for decision in selectors.decisions_asking_revocation()
    ]
