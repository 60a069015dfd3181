"""Hooks into the register: a revocation removes the company's places from live rounds at once
(in the revocation's transaction), and the revocation preview says so beforehand."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from stagekans.register.hooks import on_recognition_revoked, on_revocation_preview
from stagekans.rounds.models import Place
from stagekans.rounds.services.closing import remove_places_of_revoked
from stagekans.rounds.workflow import LIVE


@on_recognition_revoked
def _remove_places(*, recognition: Any, acting_user: Any) -> None:
    remove_places_of_revoked(recognition=recognition, acting_user=acting_user)


@on_revocation_preview
def _preview(*, recognition: Any, revocation: Any = None) -> list[str]:
    count = Place.objects.filter(
        company_id=recognition.company_id,
        qualification_id=recognition.qualification_id,
        active=True,
        round__status__in=list(LIVE),
    ).count()
    if not count:
        return []
    return [
        ngettext(
            "%(n)s plaats in een lopende matchingronde vervalt",
            "%(n)s plaatsen in lopende matchingrondes vervallen",
            count,
        )
        % {"n": count}
    ]
