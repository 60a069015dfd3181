"""Property-based API tests from the committed OpenAPI schema (docs/openapi.yaml) with
schemathesis: every operation, generated valid and invalid inputs, against a live server.

No request may end in a server error (5xx); every answer must use a documented status code and
content type and match the documented response schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stagekans.testing import factories as f

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SCHEMA)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_data():  # type: ignore[no-untyped-def]
    """Published vacancies of recognised companies, so that searches and detail pages find
    something besides the 404s and 400s of random input."""
    return [f.VacancyFactory() for _ in range(3)]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema_and_never_errors(case, live_server, api_data):  # type: ignore[no-untyped-def]
    case.call_and_validate(base_url=live_server.url, checks=CHECKS)
