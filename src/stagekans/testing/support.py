"""Factories for the support app (school signals, expert team, referral directory)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from stagekans.meldpunt.models import Ground, Phase
from stagekans.support import services
from stagekans.support.models import OrganisationKind, SignalOutcome, SupportOrganisation

DIRECTORY_HEADER = "code,kind,name,region,municipalities,province,phone,email,website,description"


def school_signal(*, staff: Any, company: Any, **overrides: Any) -> Any:
    """A signal logged by `staff` (a school staff user) through the service."""
    values: dict[str, Any] = {
        "acting_user": staff,
        "company": company,
        "observed": "De student hoorde bij het kennismakingsgesprek dat het bedrijf 'liever "
        "geen hoofddoek' op de werkvloer wil.",
        "observed_on": dt.date.today() - dt.timedelta(days=10),
        "grounds": [Ground.RELIGION],
        "phase": Phase.RECRUITMENT,
        "conversation": "Gebeld met de praktijkopleider; hij ontkent het niet.",
        "conversation_on": dt.date.today() - dt.timedelta(days=5),
        "outcome": SignalOutcome.COMPANY_DISPUTES,
    }
    values.update(overrides)
    return services.log_signal(**values)


def organisation(**overrides: Any) -> SupportOrganisation:
    values: dict[str, Any] = {
        "code": "adv-test",
        "kind": OrganisationKind.ANTI_DISCRIMINATION,
        "name": "Antidiscriminatievoorziening Testregio",
        "region": "Testregio",
        "municipalities": ["Utrecht"],
        "province": "UT",
        "phone": "030 123 45 67",
        "email": "info@adv-test.example",
        "website": "https://adv-test.example",
    }
    values.update(overrides)
    with transaction.atomic():
        return SupportOrganisation.objects.create(**values)


def support_request(*, requester: Any, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "acting_user": requester,
        "topic": "recruitment",
        "urgency": "normal",
        "description": "Hoe richten we een anonieme eerste selectie in?",
    }
    values.update(overrides)
    return services.submit_support_request(**values)
