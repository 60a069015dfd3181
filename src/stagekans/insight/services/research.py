"""Research projects and their pseudonymised extracts.

A project records its data-use agreement and gets its own random pseudonym key: the same
student has unrelated pseudonyms in different projects. An extract holds one row per student
and school year with no identifier but that keyed hash; before release every combination of
quasi-identifiers must occur at least k times (rows in smaller classes are withheld; if that
would withhold more than MAX_WITHHELD of the rows the release is refused). Both are audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.background.selectors import GROUP_CODES, group_codes_table
from stagekans.insight.models import ExtractRelease, ResearchProject
from stagekans.insight.outcomes import student_year_rows_sql
from stagekans.insight.research import k_anonymise

MAX_WITHHELD = 0.05
HEADER = [
    "pseudoniem",
    "schooljaar",
    "strategie",
    "sector",
    "provincie",
    "niveau",
    "herkomst",
    "beperking",
    "gender",
    "eerste_poging_geplaatst",
    "sollicitaties",
    "geplaatst",
    "weken_tot_plaatsing",
    "zonder_stage_bij_begin",
]
QUASI_IDENTIFIERS = list(range(1, 9))  # school year … gender


def register_project(
    *,
    acting_user: Any,
    title: str,
    organisation: str,
    purpose: str,
    agreement_reference: str,
    agreement_signed_on: dt.date,
    agreement_ends_on: dt.date,
    k: int = 10,
) -> ResearchProject:
    if agreement_ends_on < agreement_signed_on:
        raise ValidationError(_("De einddatum van de overeenkomst ligt voor de tekendatum."))
    if not 5 <= k <= 50:
        raise ValidationError(_("Kies k tussen 5 en 50."))
    with transaction.atomic():
        project = ResearchProject.objects.create(
            title=title.strip(),
            organisation=organisation.strip(),
            purpose=purpose.strip(),
            agreement_reference=agreement_reference.strip(),
            agreement_signed_on=agreement_signed_on,
            agreement_ends_on=agreement_ends_on,
            k=k,
            key=secrets.token_hex(32),
            created_by=acting_user,
        )
        record(
            actor=acting_user,
            event=AuditEvent.INSIGHT_PROJECT_REGISTERED,
            obj=project,
            details={"agreement": project.agreement_reference, "k": k},
        )
    return project


def _label(attribute: str, code: int) -> str:
    for c, key, _unused in GROUP_CODES[attribute]:
        if c == code:
            return key
    return "unknown"


def release_extract(*, acting_user: Any, project: ResearchProject) -> bytes:
    """The CSV of the extract, or ValidationError (audited) when it may not be released."""
    today = timezone.localdate()
    if not project.agreement_signed_on <= today <= project.agreement_ends_on:
        raise ValidationError(_("De gegevensovereenkomst van dit project loopt niet (meer)."))
    key = project.key.encode()
    with transaction.atomic():
        with group_codes_table() as groups, connection.cursor() as cursor:
            cursor.execute(student_year_rows_sql(groups))
            raw = cursor.fetchall()
        rows = []
        for r in raw:
            days = r[12]
            rows.append(
                [
                    hmac.new(key, b"%d" % r[0], hashlib.sha256).hexdigest()[:20],
                    int(r[1]),
                    r[2],
                    r[3],
                    r[4],
                    int(r[5]),
                    _label("herkomst", int(r[6])),
                    _label("disability", int(r[7])),
                    _label("gender", int(r[8])),
                    int(r[9]),
                    int(r[10]),
                    int(r[11]),
                    "" if days is None else int(float(days) // 7),
                    int(r[13]),
                ]
            )
        result = k_anonymise(rows, QUASI_IDENTIFIERS, project.k)
        content = b""
        if rows and result.withheld > MAX_WITHHELD * len(rows):
            # Recorded and committed: the refusal is raised only after the transaction.
            record(
                actor=acting_user,
                event=AuditEvent.INSIGHT_EXTRACT_REFUSED,
                obj=project,
                details={"rows": len(rows), "withheld": result.withheld, "k": project.k},
            )
            refused = True
        else:
            refused = False
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(HEADER)
            writer.writerows(result.kept)
            content = buffer.getvalue().encode()
            ExtractRelease.objects.create(
                project=project,
                released_by=acting_user,
                rows=len(result.kept),
                rows_withheld=result.withheld,
                smallest_class=result.smallest_class,
                sha256=hashlib.sha256(content).hexdigest(),
            )
            record(
                actor=acting_user,
                event=AuditEvent.INSIGHT_EXTRACT_RELEASED,
                obj=project,
                details={"rows": len(result.kept), "withheld": result.withheld, "k": project.k},
            )
    if refused:
        raise ValidationError(
            _(
                "Niet vrijgegeven: %(w)s van %(n)s rijen vallen in groepen kleiner dan k = %(k)s. "
                "Kies een kleinere k of wacht op meer gegevens."
            )
            % {"w": result.withheld, "n": len(rows), "k": project.k}
        )
    return content
