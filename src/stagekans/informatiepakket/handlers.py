"""Recognition → the company automatically receives the current hand-outs."""

from __future__ import annotations

from typing import Any

from stagekans.register.hooks import bulk_variant_of, on_recognition_granted


@on_recognition_granted
def issue_handouts_on_recognition(*, recognition: Any, acting_user: Any) -> None:
    from stagekans.informatiepakket.services import issue_current_handouts

    issue_current_handouts(acting_user=acting_user, company=recognition.company)


@bulk_variant_of(issue_handouts_on_recognition)
def issue_handouts_on_recognitions(*, recognitions: list[Any], acting_user: Any) -> None:
    from stagekans.informatiepakket.services import issue_current_handouts_to_companies

    issue_current_handouts_to_companies(
        acting_user=acting_user,
        company_ids=list(dict.fromkeys(r.company_id for r in recognitions)),
    )
