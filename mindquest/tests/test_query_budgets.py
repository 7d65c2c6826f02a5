"""The statements each benchmarked endpoint runs (bench/README.md): pinned, and the same for a
learner with one completed quiz as for one with fifty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from quizzes.services import quiz_evaluate, quiz_generate
from quizzes.tests.factories import make_bank

pytestmark = pytest.mark.django_db

# Scenario: (method, path, statements). Authentication (user, profile and session in one
# statement) is the first of each but the public one.
BUDGETS = {
    "me": 1,
    "certifications": 0,  # a public read (no token checked) of the catalog in the process's memory
    "dashboard": 4,  # + progress rows, adaptive state, recent achievements
    "quiz history": 2,  # + the page, each row carrying the total
    "profile": 1,
    # + the state and the questions had; then on PostgreSQL one statement reads the picked
    # questions and saves the quiz and its items; on SQLite a transaction reads and inserts twice
    "generate": 4 if connection.vendor == "postgresql" else 8,
    "evaluate": 14,
    "dashboard page": 7,
}


@pytest.fixture
def history(learner, certification):
    """The learner practises `certification` from a bank big enough that their next quiz still
    comes from unseen questions."""
    make_bank(certification, per_cell=20, difficulties=["easy"])
    Profile.objects.filter(user=learner).update(selected_certification=certification)

    def practise(quizzes: int) -> None:
        for _ in range(quizzes):
            generated = quiz_generate(learner=learner, certification=certification, count=1)
            quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers={})

    return practise


def statements(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 201), (response.status_code, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("quizzes", [1, 50])
def test_every_benchmarked_endpoint_runs_a_fixed_number_of_statements(
    quizzes, history, learner, learner_api, client, certification
):
    history(quizzes)
    client.force_login(learner)
    learner_api.get("/api/certifications")  # the catalog, loaded once per process
    open_quiz = quiz_generate(learner=learner, certification=certification, count=5).quiz
    calls = {
        "me": lambda: learner_api.get("/api/auth/me"),
        "certifications": lambda: learner_api.get("/api/certifications"),
        "dashboard": lambda: learner_api.get("/api/progress/dashboard"),
        "quiz history": lambda: learner_api.get("/api/quizzes"),
        "profile": lambda: learner_api.get("/api/profile"),
        "generate": lambda: learner_api.post(
            "/api/quizzes/generate", {"certification_id": str(certification.pk)}, format="json"
        ),
        "evaluate": lambda: learner_api.post(
            f"/api/quizzes/{open_quiz.pk}/evaluate", {"answers": {}}, format="json"
        ),
        "dashboard page": lambda: client.get("/dashboard"),
    }
    assert {name: statements(call) for name, call in calls.items()} == BUDGETS
