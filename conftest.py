"""Personas shared by every app's tests: a learner, another learner, an admin, and their API clients."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import auth_session_start
from accounts.tests.factories import PASSWORD, UserFactory
from certifications.models import Certification
from certifications.tests.factories import CertificationFactory
from quizzes.models import Question
from quizzes.tests.factories import make_bank


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Real hashing costs ~0.5 s a user; tests create hundreds. Production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def learner(db) -> User:
    return UserFactory(email="ada@example.com", username="ada")


@pytest.fixture
def other_learner(db) -> User:
    return UserFactory(email="grace@example.com", username="grace")


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(email="admin@example.com", username="admin", admin=True)


@pytest.fixture
def admin_browser(client, admin_user):
    """A page client signed in as the admin (the admin site's pages)."""
    client.force_login(admin_user)
    return client


def api_client_for(user: User | None = None) -> APIClient:
    """An API client signed in as `user` through a real session and bearer token."""
    client = APIClient()
    if user is not None:
        pair = auth_session_start(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access_token}")
        client.tokens = pair
    return client


@pytest.fixture
def api_for():
    """`api_client_for`, for a user the test makes."""
    return api_client_for


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def learner_api(learner) -> APIClient:
    return api_client_for(learner)


@pytest.fixture
def other_api(other_learner) -> APIClient:
    return api_client_for(other_learner)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return api_client_for(admin_user)


@pytest.fixture
def signal_spy():
    """Records every quiz_evaluated sent while the test runs."""
    from quizzes.signals import quiz_evaluated

    calls: list[dict] = []

    def spy(sender, **kwargs):
        calls.append(kwargs)

    quiz_evaluated.connect(spy, dispatch_uid="test-signal-spy")
    yield calls
    quiz_evaluated.disconnect(dispatch_uid="test-signal-spy")


@pytest.fixture
def certification(db) -> Certification:
    """A two-domain certification (Design 60 %, Operations 40 %)."""
    return CertificationFactory(
        code="TST-C01", name="Test Architect", domains=[("Design", 60), ("Operations", 40)]
    )


@pytest.fixture
def bank(certification) -> list[Question]:
    """Three questions in every domain × difficulty × type cell of `certification`."""
    return make_bank(certification, per_cell=3)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters and the LLM budget live in the cache: each test starts from zero, and
    reads the catalog and the bank afresh (an earlier test's rolled-back changes may be in this
    process's copies)."""
    from django.core.cache import cache

    from certifications.selectors import catalog_changed
    from quizzes.selectors import forget_bank_pools

    cache.clear()
    catalog_changed()
    forget_bank_pools()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` exercise real row locks and concurrent writers: on SQLite, which
    serialises every writer, they are skipped before any database is set up for them."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (CI runs the suite there: .ci/run)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)
