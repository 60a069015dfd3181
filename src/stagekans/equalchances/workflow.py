"""The life of a self-scan version, as data: draft → published → retired.

SBB staff write a draft; publishing freezes it (a published version is never edited again, so a
result always shows the questions and advice that were answered) and retires the version that
was current. Results keep pointing at the version they answered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanVersionStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    PUBLISHED = "published", _("gepubliceerd")
    RETIRED = "retired", _("vervangen")


ALLOWED_VERSION_CHANGES: dict[str, frozenset[str]] = {
    ScanVersionStatus.DRAFT: frozenset({ScanVersionStatus.PUBLISHED}),
    ScanVersionStatus.PUBLISHED: frozenset({ScanVersionStatus.RETIRED}),
    ScanVersionStatus.RETIRED: frozenset(),
}

EDITABLE_STATUSES: frozenset[str] = frozenset({ScanVersionStatus.DRAFT})


class TransitionNotAllowed(Exception):
    """A status change that the table above does not allow; the message is Dutch, for users."""


def check_transition(current: str, target: str) -> None:
    if target not in ALLOWED_VERSION_CHANGES.get(current, frozenset()):
        raise TransitionNotAllowed(
            _("Een zelfscanversie kan niet van '%(a)s' naar '%(b)s'.")
            % {
                "a": ScanVersionStatus(current).label,
                "b": ScanVersionStatus(target).label,
            }
        )
