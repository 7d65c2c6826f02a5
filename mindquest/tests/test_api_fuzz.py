"""Every operation of /api/schema, fuzzed by schemathesis as a learner and as an admin:
no server error, and every response matches the schema (status, content type, body)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from accounts.services import auth_session_start
from accounts.tests.factories import UserFactory
from certifications.models import Certification
from mindquest.wsgi import application
from quizzes.tests.factories import make_bank

# Reading the schema touches no database, so it can happen at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Schemathesis calls the WSGI app itself, so Django's request signals would close the
    connection (and with it the test's transaction) after each call: what Django's own test client
    avoids in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _a_bank_to_find(db):
    # Something to find: a bank for one exam, so quizzes can be generated and graded.
    make_bank(Certification.objects.get(code="CLF-C02"), per_cell=1)


# No server error, and every response as the schema says: status, content type, headers, body.
# (Not "schema-valid data is accepted": business rules such as password strength are not in it.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def call_as(case, *, admin: bool) -> None:
    # A fresh session per call: logging out or changing the password must not starve the others.
    token = auth_session_start(user=UserFactory(admin=admin)).access_token
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_as_a_learner_the_api_never_fails_and_matches_its_schema(case, db):
    call_as(case, admin=False)


@schema.parametrize()
@FUZZ
def test_as_an_admin_the_api_never_fails_and_matches_its_schema(case, db):
    call_as(case, admin=True)
