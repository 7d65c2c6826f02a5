import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from certifications.selectors import catalog
from mindquest.common.exceptions import ApplicationError, NotFoundError
from progress.models import UserProgress
from quizzes.models import LearnerCertificationState, LearnerDomainState, Question, Quiz, QuizStatus
from quizzes.selectors import adaptive_state
from quizzes.services import quiz_evaluate, quiz_generate
from quizzes.signals import quiz_evaluated
from quizzes.tests.factories import QuestionFactory, make_bank

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def right_answers(generated) -> dict:
    return {str(item.pk): item.question.correct_answer for item in generated.items}


def wrong_answers(generated) -> dict:
    answers = {}
    for item in generated.items:
        wrong = [option for option in item.question.options if option not in item.question.correct_answers]
        answers[str(item.pk)] = [wrong[0]] if item.question.question_type == "multi_select" else wrong[0]
    return answers


@pytest.fixture
def quiz(learner, certification, bank):
    return quiz_generate(learner=learner, certification=certification, count=5)


def test_all_right_earns_xp_by_difficulty(learner, certification, bank):
    generated = quiz_generate(learner=learner, certification=certification, count=5, difficulty="medium")
    result = quiz_evaluate(
        learner=learner, quiz_id=generated.quiz.pk, answers=right_answers(generated), now=NOW
    )
    assert (result["score"], result["total_questions"], result["accuracy"], result["xp_earned"]) == (
        5,
        5,
        100.0,
        50,
    )
    assert result["already_evaluated"] is False
    quiz = Quiz.objects.get(pk=generated.quiz.pk)
    assert (quiz.status, quiz.score, quiz.xp_earned, quiz.completed_at) == (QuizStatus.COMPLETED, 5, 50, NOW)


@pytest.mark.parametrize(("difficulty", "xp"), [("easy", 5), ("medium", 10), ("hard", 20)])
def test_each_correct_answer_is_worth_5_10_or_20_xp(learner, certification, bank, difficulty, xp):
    generated = quiz_generate(learner=learner, certification=certification, count=1, difficulty=difficulty)
    result = quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=right_answers(generated))
    assert result["xp_earned"] == xp
    assert generated.items[0].__class__.objects.get(pk=generated.items[0].pk).xp_earned == xp


def test_wrong_and_missing_answers_earn_nothing(learner, quiz):
    answers = wrong_answers(quiz)
    answers.pop(next(iter(answers)))  # one left unanswered
    result = quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=answers)
    assert (result["score"], result["xp_earned"]) == (0, 0)
    stored = {item.pk: (item.user_answer, item.is_correct) for item in quiz.quiz.items.all()}
    assert sorted(v[1] for v in stored.values()) == [False] * 5
    assert sum(v[0] is None for v in stored.values()) == 1


def test_true_false_is_graded_in_any_case_and_multi_select_as_a_set(learner, certification):
    tf = QuestionFactory(certification=certification, question_type="true_false")
    ms = QuestionFactory(certification=certification, question_type="multi_select")
    generated = quiz_generate(learner=learner, certification=certification, count=2)
    by_type = {item.question.question_type: str(item.pk) for item in generated.items}
    assert {tf.pk, ms.pk} == {item.question_id for item in generated.items}
    result = quiz_evaluate(
        learner=learner,
        quiz_id=generated.quiz.pk,
        answers={by_type["true_false"]: "tRUE", by_type["multi_select"]: ["Amazon DynamoDB", "Amazon S3"]},
    )
    assert result["score"] == 2


def test_usage_counters_of_bank_questions_move(learner, quiz):
    answers = right_answers(quiz)
    first = str(quiz.items[0].pk)
    answers[first] = None
    quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=answers)
    counters = {
        q.pk: (q.times_answered, q.times_correct) for q in Question.objects.filter(quiz_items__quiz=quiz.quiz)
    }
    assert counters[quiz.items[0].question_id] == (1, 0)
    assert sorted(counters.values()) == [(1, 0), (1, 1), (1, 1), (1, 1), (1, 1)]


# --- once and only once ---------------------------------------------------------------------------


def test_a_second_submission_returns_the_stored_result_and_awards_nothing(learner, quiz):
    first = quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz), now=NOW)
    xp = Profile.objects.get(user=learner).xp
    second = quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=wrong_answers(quiz))
    assert second == {**first, "already_evaluated": True}
    assert Profile.objects.get(user=learner).xp == xp
    assert UserProgress.objects.get(learner=learner).total_quizzes == 1


def test_the_signal_fires_once_per_evaluation_and_never_on_a_repeat(learner, quiz, signal_spy):
    quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz))
    quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz))
    assert len(signal_spy) == 1
    assert signal_spy[0]["evaluation"].quiz.pk == quiz.quiz.pk


def test_a_rejected_submission_changes_nothing_and_sends_no_signal(learner, quiz, signal_spy):
    with pytest.raises(ApplicationError):
        quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers={str(quiz.items[0].pk): "Not an option"})
    assert signal_spy == []
    assert Quiz.objects.get(pk=quiz.quiz.pk).status == QuizStatus.IN_PROGRESS


def test_an_unknown_question_id_is_refused(learner, quiz):
    with pytest.raises(ApplicationError) as refused:
        quiz_evaluate(
            learner=learner, quiz_id=quiz.quiz.pk, answers={"6f1c8a6e-0000-4000-8000-000000000000": "x"}
        )
    assert refused.value.errors == {
        "answers.6f1c8a6e-0000-4000-8000-000000000000": ["Not a question of this quiz."]
    }


def test_another_learners_quiz_is_not_found(other_learner, quiz):
    with pytest.raises(NotFoundError):
        quiz_evaluate(learner=other_learner, quiz_id=quiz.quiz.pk, answers={})
    assert Quiz.objects.get(pk=quiz.quiz.pk).status == QuizStatus.IN_PROGRESS


def test_a_failing_receiver_rolls_the_whole_evaluation_back(learner, quiz):
    def broken_receiver(sender, **kwargs):
        raise RuntimeError("achievements are down")

    quiz_evaluated.connect(broken_receiver, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz))
    finally:
        quiz_evaluated.disconnect(dispatch_uid="test-broken")
    stored = Quiz.objects.get(pk=quiz.quiz.pk)
    assert (stored.status, stored.score, stored.xp_earned) == (QuizStatus.IN_PROGRESS, 0, 0)
    assert Profile.objects.get(user=learner).xp == 0
    assert not LearnerDomainState.objects.exists()
    assert not UserProgress.objects.exists()
    assert all(item.is_correct is None for item in stored.items.all())


@pytest.mark.parametrize("count", [5, 30])
def test_evaluation_query_count_does_not_grow_with_the_number_of_questions(learner, certification, count):
    make_bank(certification, per_cell=12, difficulties=["easy"])
    first = quiz_generate(learner=learner, certification=certification, count=count)
    quiz_evaluate(learner=learner, quiz_id=first.quiz.pk, answers={})  # states and progress now exist
    generated = quiz_generate(learner=learner, certification=certification, count=count)
    with CaptureQueriesContext(connection) as queries:
        quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=right_answers(generated))
    # the quiz with its questions and the profile (locked), the answers, the state read, domain and
    # certification state writes, the profile, progress read and write, achievements had and new,
    # the questions' counters, the quiz; plus the savepoint pair of the test's transaction
    assert len(queries) == 14, "\n".join(q["sql"][:120] for q in queries)


def test_a_grading_leaves_the_question_texts_and_what_it_does_not_use_unread(learner, quiz):
    seen = []
    quiz_evaluated.connect(
        lambda sender, evaluation, **kwargs: seen.append(evaluation), weak=False, dispatch_uid="test-seen"
    )
    try:
        quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz))
    finally:
        quiz_evaluated.disconnect(dispatch_uid="test-seen")
    (evaluation,) = seen
    questions = [item.question for item in evaluation.items]
    assert all(
        {"question_text", "explanation", "times_answered"} <= q.get_deferred_fields() for q in questions
    )
    assert {"generation_model", "created_at"} <= evaluation.quiz.get_deferred_fields()
    # What the grading and the receivers use was read
    assert not {"options", "correct_answers", "domain_id", "difficulty"} & questions[0].get_deferred_fields()
    assert not {"xp", "level", "current_streak", "last_quiz_date"} & evaluation.profile.get_deferred_fields()


def _quiz_updates_in_this_transaction() -> tuple[int, int]:
    """(rows updated, of which in place) in the quiz table by this transaction, as PostgreSQL counts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relid = %s::regclass",
            [Quiz._meta.db_table],
        )
        return cursor.fetchone()


@pytest.mark.postgres
def test_grading_updates_the_quiz_in_place_without_touching_its_indexes(learner, quiz):
    # No index holds what grading changes, and the pages keep room (migration 0005): a HOT update.
    updated, in_place = _quiz_updates_in_this_transaction()
    quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz))
    assert _quiz_updates_in_this_transaction() == (updated + 1, in_place + 1)


# --- adaptive state -------------------------------------------------------------------------------


def test_the_certification_difficulty_steps_up_after_a_quiz_at_80_percent(learner, quiz):
    result = quiz_evaluate(learner=learner, quiz_id=quiz.quiz.pk, answers=right_answers(quiz))
    assert result["next_difficulty"] == "medium"
    assert LearnerCertificationState.objects.get(learner=learner).difficulty == "medium"


def test_the_certification_difficulty_steps_down_below_50_percent(learner, certification, bank):
    generated = quiz_generate(learner=learner, certification=certification, count=5, difficulty="hard")
    LearnerCertificationState.objects.create(learner=learner, certification=certification, difficulty="hard")
    result = quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=wrong_answers(generated))
    assert result["next_difficulty"] == "medium"


def test_a_domain_answered_badly_becomes_weak_and_its_difficulty_steps_down(learner, certification, bank):
    LearnerDomainState.objects.create(
        learner=learner,
        certification=certification,
        domain=certification.domains.get(name="Design"),
        difficulty="medium",
        answered=2,
        correct=2,
        recent="11",
    )
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    result = quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=wrong_answers(generated))
    assert {w["name"] for w in result["weak_domains"]} == {"Design"}  # 2 of 5 recent right: 40 %
    design = LearnerDomainState.objects.get(learner=learner, domain__name="Design")
    assert (design.answered, design.correct, design.recent, design.difficulty) == (5, 2, "11000", "easy")
    state = adaptive_state(learner=learner, certification=certification)
    assert state.weak_domains[0].accuracy == 40.0
    assert state.domain_difficulties == {"Design": "easy", "Operations": "easy"}


def test_the_state_is_read_with_each_domain_carrying_its_certifications_difficulty(
    learner, certification, django_assert_num_queries
):
    LearnerCertificationState.objects.create(learner=learner, certification=certification, difficulty="hard")
    design = certification.domains.get(name="Design")
    LearnerDomainState.objects.create(
        learner=learner, certification=certification, domain=design, difficulty="medium"
    )
    catalog()  # the domains' names: read once per process
    with django_assert_num_queries(1):
        state = adaptive_state(learner=learner, certification=certification)
    assert (state.current_difficulty, state.domain_difficulties) == ("hard", {"Design": "medium"})


def test_a_certification_difficulty_without_domain_states_is_still_read(learner, certification):
    LearnerCertificationState.objects.create(learner=learner, certification=certification, difficulty="hard")
    state = adaptive_state(learner=learner, certification=certification)
    assert (state.current_difficulty, state.domain_difficulties) == ("hard", {})


def test_the_next_quiz_is_steered_to_the_weak_domain(learner, certification, bank):
    LearnerDomainState.objects.create(
        learner=learner,
        certification=certification,
        domain=certification.domains.get(name="Operations"),
        answered=5,
        correct=1,
        recent="10000",
    )
    generated = quiz_generate(learner=learner, certification=certification, count=6)
    assert sum(item.question.domain.name == "Operations" for item in generated.items) >= 3


def test_a_domain_answered_well_steps_its_difficulty_up(learner, certification, bank):
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=right_answers(generated))
    design = LearnerDomainState.objects.get(learner=learner, domain__name="Design")
    assert (design.recent, design.difficulty) == ("111", "medium")
    operations = LearnerDomainState.objects.get(learner=learner, domain__name="Operations")
    assert (operations.recent, operations.difficulty) == ("11", "easy")  # too few answers to judge yet


# --- concurrency (PostgreSQL: real row locks) -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_submissions_award_xp_once(learner, certification):
    make_bank(certification, per_cell=2, difficulties=["easy"])
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    answers = right_answers(generated)
    results, errors = [], []
    start = threading.Barrier(10)

    def submit():
        try:
            start.wait()
            results.append(quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=answers))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r["already_evaluated"] for r in results) == [False] + [True] * 9
    assert {r["xp_earned"] for r in results} == {25}
    assert Profile.objects.get(user=learner).xp == 25
    assert UserProgress.objects.get(learner=learner).total_quizzes == 1
