import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import AuthSession, Profile, User
from mindquest.common.db import fetch_together, table
from progress.models import UserProgress
from quizzes.models import LearnerDomainState, Quiz, QuizQuestion, QuizStatus
from quizzes.serializers import QuizEvaluateInputSerializer, QuizGenerateInputSerializer

pytestmark = pytest.mark.django_db

QUESTION_KEYS = {
    "id",
    "quiz_id",
    "question_text",
    "question_type",
    "options",
    "correct_answer",
    "explanation",
    "reference_url",
    "difficulty",
    "domain",
    "user_answer",
    "is_correct",
    "xp_earned",
    "created_at",
}


def generate(client, certification, **body):
    return client.post(
        "/api/quizzes/generate", {"certification_id": str(certification.pk), **body}, format="json"
    )


def answer_all(questions, *, right: bool = True) -> dict:
    from quizzes.models import QuizQuestion

    answers = {}
    for q in questions:
        item = QuizQuestion.objects.select_related("question").get(pk=q["id"])
        if right:
            answers[q["id"]] = item.question.correct_answer
        else:
            wrong = [o for o in q["options"] if o not in item.question.correct_answers]
            answers[q["id"]] = [wrong[0]] if q["question_type"] == "multi_select" else wrong[0]
    return answers


def test_generate_returns_the_quiz_without_answers(learner_api, certification, bank):
    response = generate(learner_api, certification)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"quiz_id", "certification_id", "difficulty", "total_questions", "questions"}
    assert (body["certification_id"], body["difficulty"], body["total_questions"]) == (
        str(certification.pk),
        "easy",
        5,
    )
    assert len(body["questions"]) == 5
    for question in body["questions"]:
        assert set(question) == QUESTION_KEYS
        assert question["quiz_id"] == body["quiz_id"]
        assert question["correct_answer"] is None
        assert question["explanation"] is None
        assert question["reference_url"] is None
        assert question["user_answer"] is None
        assert question["is_correct"] is None
        if question["question_type"] == "true_false":
            assert question["options"] == ["True", "False"]


def test_generate_takes_difficulty_count_and_weak_domains(learner_api, certification, bank):
    response = generate(
        learner_api,
        certification,
        difficulty="hard",
        question_count=8,
        weak_domains=[{"name": "Operations", "accuracy": 20.0}],
    )
    body = response.json()
    assert response.status_code == 201
    assert body["difficulty"] == "hard"
    assert len(body["questions"]) == 8
    assert sum(q["domain"] == "Operations" for q in body["questions"]) >= 4
    assert {q["difficulty"] for q in body["questions"]} == {"hard"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question_count": 0}, "question_count"),
        ({"question_count": 66}, "question_count"),
        ({"difficulty": "extreme"}, "difficulty"),
        ({"weak_domains": "Design"}, "weak_domains"),
        ({"weak_domains": ["Nowhere"]}, "weak_domains"),
    ],
)
def test_generate_rejects_bad_input_with_400(learner_api, certification, bank, body, field):
    response = generate(learner_api, certification, **body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Quiz.objects.exists()


def test_generate_for_an_unknown_certification_is_404(learner_api):
    response = learner_api.post(
        "/api/quizzes/generate", {"certification_id": "6f1c8a6e-0000-4000-8000-000000000000"}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Certification not found"}


def test_generate_with_nothing_available_is_503(learner_api, certification, settings):
    settings.OPENAI_API_KEY = ""
    response = generate(learner_api, certification)
    assert response.status_code == 503
    assert "No questions are available" in response.json()["detail"]


def test_generate_needs_a_token(anon_api, certification, bank):
    assert generate(anon_api, certification).status_code == 401


def test_evaluate_grades_and_reports(learner_api, learner, certification, bank):
    quiz = generate(learner_api, certification).json()
    response = learner_api.post(
        f"/api/quizzes/{quiz['quiz_id']}/evaluate",
        {"quiz_id": quiz["quiz_id"], "answers": answer_all(quiz["questions"])},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "score": 5,
        "total_questions": 5,
        "accuracy": 100.0,
        "xp_earned": 25,
        "new_level": 1,
        "new_streak": 1,
        "leveled_up": False,
        "achievements": ["First Quiz", "Perfect Score"],
        "weak_domains": [],
        "next_difficulty": "medium",
        "already_evaluated": False,
    }


def test_a_repeated_evaluation_returns_the_stored_result_and_awards_nothing(
    learner_api, learner, certification, bank
):
    quiz = generate(learner_api, certification).json()
    url = f"/api/quizzes/{quiz['quiz_id']}/evaluate"
    first = learner_api.post(url, {"answers": answer_all(quiz["questions"])}, format="json").json()
    second = learner_api.post(url, {"answers": {}}, format="json")
    assert second.status_code == 200
    assert second.json() == {**first, "already_evaluated": True}
    assert Profile.objects.get(user=learner).xp == 25


def test_answers_must_be_the_questions_options(learner_api, certification, bank):
    quiz = generate(learner_api, certification).json()
    question = quiz["questions"][0]
    response = learner_api.post(
        f"/api/quizzes/{quiz['quiz_id']}/evaluate",
        {"answers": {question["id"]: "Definitely not"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        f"answers.{question['id']}": ["The answer is not one of this question's options."]
    }
    assert Quiz.objects.get(pk=quiz["quiz_id"]).status == QuizStatus.IN_PROGRESS


def test_an_unknown_question_id_is_400(learner_api, certification, bank):
    quiz = generate(learner_api, certification).json()
    response = learner_api.post(
        f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": {"not-a-question": "x"}}, format="json"
    )
    assert response.status_code == 400


def test_evaluate_needs_an_answers_object(learner_api, certification, bank):
    quiz = generate(learner_api, certification).json()
    response = learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": ["x"]}, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()["errors"]


CERTIFICATION_ID = "0193a0aa-0000-7000-8000-000000000000"
GENERATE_BODIES = [
    {"certification_id": CERTIFICATION_ID},
    {"certification_id": CERTIFICATION_ID.upper()},
    {"certification_id": CERTIFICATION_ID.replace("-", "")},
    {"certification_id": "{" + CERTIFICATION_ID + "}"},
    {"certification_id": "urn:uuid:" + CERTIFICATION_ID},
    {"certification_id": "not-a-uuid"},
    {"certification_id": ""},
    {"certification_id": None},
    {"certification_id": 12345},
    {},
    {"certification_id": CERTIFICATION_ID, "difficulty": "hard", "question_count": 10},
    {"certification_id": CERTIFICATION_ID, "difficulty": None, "weak_domains": None},
    {"certification_id": CERTIFICATION_ID, "difficulty": ""},
    {"certification_id": CERTIFICATION_ID, "difficulty": "Hard"},
    {"certification_id": CERTIFICATION_ID, "difficulty": ["hard"]},
    {"certification_id": CERTIFICATION_ID, "question_count": 1},
    {"certification_id": CERTIFICATION_ID, "question_count": 65},
    {"certification_id": CERTIFICATION_ID, "question_count": 0},
    {"certification_id": CERTIFICATION_ID, "question_count": 66},
    {"certification_id": CERTIFICATION_ID, "question_count": "7"},
    {"certification_id": CERTIFICATION_ID, "question_count": 7.0},
    {"certification_id": CERTIFICATION_ID, "question_count": True},
    {"certification_id": CERTIFICATION_ID, "question_count": None},
    {"certification_id": CERTIFICATION_ID, "weak_domains": ["Security", {"name": " Resilience "}]},
    {"certification_id": CERTIFICATION_ID, "weak_domains": "Security"},
    {"certification_id": CERTIFICATION_ID, "unknown": 1},
    [CERTIFICATION_ID],
    None,
]


@pytest.mark.parametrize("body", GENERATE_BODIES)
def test_a_generate_body_reads_as_its_fields_read_it(body):
    """The written-out reading of the usual body gives what the declared fields give, and any
    other body gets the fields' own conversions and errors."""
    serializer = QuizGenerateInputSerializer(data=body)
    if serializer.is_valid():
        assert QuizGenerateInputSerializer.validated(body) == serializer.validated_data
    else:
        with pytest.raises(ValidationError) as raised:
            QuizGenerateInputSerializer.validated(body)
        assert raised.value.detail == serializer.errors


EVALUATE_BODIES = [
    {"answers": {}},
    {"answers": {"a": "S3", "b": ["S3", "EBS"], "c": None, "d": 3, "e": {"name": "S3"}, "f": [1, None]}},
    {"answers": {"a": "S3"}, "quiz_id": "0193a0aa-0000-7000-8000-000000000000"},
    {"answers": {"a": "S3"}, "quiz_id": None},
    {"answers": {"a": "S3"}, "quiz_id": ""},
    {"answers": {"a": "S3"}, "quiz_id": 5},
    {"answers": {"a": "S3"}, "quiz_id": True},
    {"answers": {"a": "S3"}, "quiz_id": ["x"]},
    {"answers": {"a": "S3"}, "unknown": 1},
    {"answers": ["S3"]},
    {"answers": None},
    {"answers": "S3"},
    {},
    ["answers"],
    "answers",
    None,
]


@pytest.mark.parametrize("body", EVALUATE_BODIES)
def test_an_evaluate_body_reads_as_its_fields_read_it(body):
    """The written-out reading of a well-formed body gives what the declared fields give, and any
    other body gets the fields' own errors."""
    serializer = QuizEvaluateInputSerializer(data=body)
    if serializer.is_valid():
        assert QuizEvaluateInputSerializer.answers_of(body) == serializer.validated_data["answers"]
    else:
        with pytest.raises(ValidationError) as raised:
            QuizEvaluateInputSerializer.answers_of(body)
        assert raised.value.detail == serializer.errors


def test_another_learners_quiz_is_404_everywhere(learner_api, other_api, certification, bank):
    quiz = generate(learner_api, certification).json()
    assert other_api.get(f"/api/quizzes/{quiz['quiz_id']}").json() == {"detail": "Quiz not found"}
    assert other_api.get(f"/api/quizzes/{quiz['quiz_id']}").status_code == 404
    response = other_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": {}}, format="json")
    assert response.status_code == 404
    assert Quiz.objects.get(pk=quiz["quiz_id"]).status == QuizStatus.IN_PROGRESS


# --- the token's session, checked with the grading's reads --------------------------------------


@pytest.fixture
def session_waits(monkeypatch) -> list[list[str]]:
    """The statements of each wait that sends the token's session check (one `fetch_together`,
    one round trip on PostgreSQL)."""
    waits = []

    def recording(*reads):
        statements = [read.sql for read in reads]
        if any(table(AuthSession) in sql for sql in statements):
            waits.append(statements)
        return fetch_together(*reads)

    monkeypatch.setattr("accounts.authentication.fetch_together", recording)
    return waits


def test_the_tokens_session_is_checked_in_the_gradings_transaction_with_its_reads(
    learner_api, certification, bank, session_waits
):
    """One wait fewer: the session's check is the first statement of the grading's transaction,
    sent with its reads (in one round trip on PostgreSQL), not a statement of its own before."""
    quiz = generate(learner_api, certification).json()
    answers = answer_all(quiz["questions"])
    with CaptureQueriesContext(connection) as queries:
        response = learner_api.post(
            f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": answers}, format="json"
        )
    assert response.status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    begin = next(i for i, sql in enumerate(statements) if sql.startswith(("BEGIN", "SAVEPOINT")))
    session_checks = [i for i, sql in enumerate(statements) if table(AuthSession) in sql]
    assert session_checks == [begin + 1]
    assert table(Quiz) in statements[begin + 2]
    [wait] = session_waits[1:]  # the first is the generate's, above
    assert table(AuthSession) in wait[0]
    assert table(Quiz) in wait[1]


def end_by_logout(client, learner) -> None:
    assert client.post("/api/auth/logout").status_code == 204


def end_by_deactivation(client, learner) -> None:
    User.objects.filter(pk=learner.pk).update(is_active=False)


def end_by_expiry(client, learner) -> None:
    AuthSession.objects.filter(user=learner).update(expires_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.parametrize("end", [end_by_logout, end_by_deactivation, end_by_expiry])
@pytest.mark.parametrize(
    "request_kind",
    ["well-formed", "answers not an object", "malformed JSON", "another's quiz", "no such quiz"],
)
def test_an_ended_session_is_401_whatever_else_is_wrong_and_nothing_is_graded(
    learner_api, learner, other_api, certification, bank, end, request_kind
):
    mine = generate(learner_api, certification).json()
    theirs = generate(other_api, certification).json()
    quiz_id = {"another's quiz": theirs["quiz_id"], "no such quiz": str(uuid.uuid4())}.get(
        request_kind, mine["quiz_id"]
    )
    body = {
        "answers not an object": json.dumps({"answers": ["x"]}),
        "malformed JSON": "{not json",
    }.get(request_kind, json.dumps({"answers": answer_all(mine["questions"])}))
    end(learner_api, learner)

    response = learner_api.post(f"/api/quizzes/{quiz_id}/evaluate", body, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended; please sign in again"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert set(Quiz.objects.values_list("status", flat=True)) == {QuizStatus.IN_PROGRESS}
    assert not QuizQuestion.objects.filter(is_correct__isnull=False).exists()
    assert not UserProgress.objects.exists()
    assert Profile.objects.get(user=learner).xp == 0


# --- the token's session, checked with a generate's planning reads -----------------------------


def test_the_tokens_session_is_checked_with_the_planning_reads(
    learner_api, certification, bank, session_waits
):
    """One wait fewer: the session's check goes out with the planning reads, in one
    `fetch_together` (one round trip on PostgreSQL), not in one of its own before them."""
    assert generate(learner_api, certification).status_code == 201
    [wait] = session_waits
    assert table(AuthSession) in wait[0]
    assert any(table(LearnerDomainState) in sql for sql in wait[1:])


@pytest.mark.parametrize("end", [end_by_logout, end_by_deactivation, end_by_expiry])
@pytest.mark.parametrize(
    "request_kind",
    ["well-formed", "malformed JSON", "not a certification id", "no such certification", "unknown domain"],
)
def test_an_ended_session_is_401_whatever_else_is_wrong_and_nothing_is_started(
    learner_api, learner, api_for, certification, bank, settings, end, request_kind
):
    settings.QUIZ_GENERATE_RATE = "1/hour"
    body = {
        "malformed JSON": "{not json",
        "not a certification id": json.dumps({"certification_id": "xyz"}),
        "no such certification": json.dumps({"certification_id": str(uuid.uuid4())}),
        "unknown domain": json.dumps({"certification_id": str(certification.pk), "weak_domains": ["Nope"]}),
    }.get(request_kind, json.dumps({"certification_id": str(certification.pk)}))
    end(learner_api, learner)

    response = learner_api.post("/api/quizzes/generate", body, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended; please sign in again"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not Quiz.objects.exists()
    # ... and it spent none of the learner's quota: signed in again, they may start their one quiz.
    User.objects.filter(pk=learner.pk).update(is_active=True)
    assert generate(api_for(learner), certification).status_code == 201


@pytest.mark.parametrize("endpoint", ["generate", "evaluate"])
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options"])
def test_any_other_method_on_a_write_that_checks_the_session_with_its_reads_checks_it_first(
    learner_api, learner, certification, bank, endpoint, method
):
    url = (
        "/api/quizzes/generate"
        if endpoint == "generate"
        else f"/api/quizzes/{generate(learner_api, certification).json()['quiz_id']}/evaluate"
    )
    assert getattr(learner_api, method)(url).status_code == (200 if method == "options" else 405)
    end_by_logout(learner_api, learner)
    response = getattr(learner_api, method)(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended; please sign in again"}


def test_an_id_in_upper_case_is_the_same_id(learner_api, certification, bank):
    """RFC 9562 reads a UUID in either case: one a client upper-cased finds its quiz, not a 404."""
    quiz_id = learner_api.post(
        "/api/quizzes/generate", {"certification_id": str(certification.pk)}, format="json"
    ).json()["quiz_id"]
    response = learner_api.get(f"/api/quizzes/{quiz_id.upper()}")
    assert response.status_code == 200
    assert response.json()["id"] == quiz_id
    response = learner_api.post(f"/api/quizzes/{quiz_id.upper()}/evaluate", {"answers": {}}, format="json")
    assert response.status_code == 200
    assert learner_api.get(f"/api/certifications/{str(certification.pk).upper()}").status_code == 200
    assert learner_api.get(f"/api/progress/certifications/{str(certification.pk).upper()}").status_code == 200


def test_quiz_detail_hides_answers_until_evaluated_then_shows_them(learner_api, certification, bank):
    quiz = generate(learner_api, certification).json()
    before = learner_api.get(f"/api/quizzes/{quiz['quiz_id']}").json()
    assert [q["correct_answer"] for q in before["questions"]] == [None] * 5
    assert [q["id"] for q in before["questions"]] == [q["id"] for q in quiz["questions"]]
    answers = answer_all(quiz["questions"])
    learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": answers}, format="json")
    after = learner_api.get(f"/api/quizzes/{quiz['quiz_id']}").json()
    assert after["status"] == "completed"
    assert after["score"] == 5
    for question in after["questions"]:
        assert question["correct_answer"] == answers[question["id"]]
        assert question["user_answer"] == answers[question["id"]]
        assert question["explanation"]
        assert question["reference_url"].startswith("https://")
        assert question["is_correct"] is True
        assert isinstance(question["correct_answer"], list) == (question["question_type"] == "multi_select")


def test_quiz_list_shows_completed_quizzes_newest_first(learner_api, certification, bank):
    ids = []
    for _ in range(3):
        quiz = generate(learner_api, certification).json()
        learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": {}}, format="json")
        ids.append(quiz["quiz_id"])
    generate(learner_api, certification)  # still in progress
    response = learner_api.get("/api/quizzes")
    assert response.status_code == 200
    assert [q["id"] for q in response.json()] == ids[::-1]
    assert response["X-Total-Count"] == "3"
    summary = response.json()[0]
    assert set(summary) == {
        "id",
        "certification_id",
        "certification_code",
        "difficulty",
        "status",
        "score",
        "total_questions",
        "accuracy",
        "xp_earned",
        "created_at",
        "completed_at",
    }
    assert learner_api.get("/api/quizzes?status=all")["X-Total-Count"] == "4"
    assert learner_api.get("/api/quizzes?status=in_progress")["X-Total-Count"] == "1"
    page = learner_api.get("/api/quizzes?limit=1&offset=1").json()
    assert [q["id"] for q in page] == [ids[1]]


def test_quiz_list_filters_by_certification_and_shows_only_mine(learner_api, other_api, certification, bank):
    from certifications.models import Certification

    quiz = generate(learner_api, certification).json()
    learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": {}}, format="json")
    saa = Certification.objects.get(code="SAA-C03")
    assert learner_api.get(f"/api/quizzes?certification_id={certification.pk}")["X-Total-Count"] == "1"
    assert learner_api.get(f"/api/quizzes?certification_id={saa.pk}")["X-Total-Count"] == "0"
    assert other_api.get("/api/quizzes").json() == []
    assert learner_api.get("/api/quizzes?status=bogus").status_code == 400


def test_quiz_history_pages_carry_the_total_even_past_the_end(learner_api, certification, bank):
    for _ in range(3):
        quiz = generate(learner_api, certification).json()
        learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": {}}, format="json")
    middle = learner_api.get("/api/quizzes?limit=1&offset=1")
    assert (len(middle.json()), middle["X-Total-Count"]) == (1, "3")
    past = learner_api.get("/api/quizzes?limit=2&offset=5")
    assert (past.json(), past["X-Total-Count"]) == ([], "3")


@pytest.mark.parametrize("path", ["/api/quizzes", "/api/progress/achievements"])
def test_an_offset_beyond_what_a_database_takes_is_a_400(learner_api, path):
    response = learner_api.get(f"{path}?offset=10000000000000000000")
    assert response.status_code == 400
    assert "offset" in response.json()["errors"]


@pytest.mark.parametrize("count", [5, 30])
def test_quiz_detail_query_count_does_not_grow(
    learner_api, learner, certification, count, django_assert_num_queries
):
    from quizzes.services import quiz_generate
    from quizzes.tests.factories import make_bank

    make_bank(certification, per_cell=12, difficulties=["easy"])
    generated = quiz_generate(learner=learner, certification=certification, count=count)
    with django_assert_num_queries(3):  # session + user, quiz, its questions
        learner_api.get(f"/api/quizzes/{generated.quiz.pk}")
