"""Grading a quiz, once and only once, and moving the learner's adaptive state.

Every learner-facing quiz ends here, so the statements are few and written out (see
mindquest.common.db): one reads and locks the quiz with its questions and the learner's profile,
those sent with it read the adaptive state and what the receivers of quiz_evaluated start from,
and each table changed gets one write."""

import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from accounts.authentication import SessionCheck, fetch_with_session
from accounts.models import Profile, User
from certifications.selectors import catalog
from mindquest.common.db import (
    Read,
    atomic_pipeline,
    column,
    db_value,
    execute,
    execute_counted,
    insert_rows,
    select_list,
    table,
    update_rows,
)
from mindquest.common.exceptions import ApplicationError, NotFoundError
from quizzes.models import (
    LearnerCertificationState,
    LearnerDomainState,
    Question,
    Quiz,
    QuizQuestion,
    QuizStatus,
)
from quizzes.rules import (
    has_evidence,
    is_correct,
    next_difficulty,
    normalize_answer,
    push_recent,
    recent_accuracy,
    xp_for,
)
from quizzes.selectors import (
    AdaptiveState,
    LearnerStates,
    build_adaptive_state,
    learner_states_from,
    learner_states_of_quiz_read,
)
from quizzes.signals import grading_reads, quiz_evaluated


@dataclass(frozen=True)
class Evaluation:
    """What the quiz_evaluated signal carries to its receivers."""

    learner: User
    profile: Profile  # read and locked with the quiz: the learner's gradings run one at a time
    quiz: Quiz
    items: list[QuizQuestion]
    state: AdaptiveState  # the quiz's certification, as this grading left it
    now: datetime
    read: dict[str, list[tuple]]  # the rows of the reads asked for through grading_reads, by name

    @property
    def answered(self) -> int:
        return len(self.items)

    @property
    def correct(self) -> int:
        return sum(1 for item in self.items if item.is_correct)


class _GradedMeanwhile(Exception):
    """Another grading of the quiz committed first: undo this one."""


# Each model a grading reads, with the columns it leaves unread, as neither it nor
# quiz_evaluated's receivers use them (the question's texts above all): each is a value to send,
# decode and build, on every row, five times over for the quiz and the profile. A receiver that
# reads one costs a query of its own, which the query budgets in the suite catch.
_GRADING_READS = [
    (Quiz, ("created_at", "updated_at", "generation_source", "generation_model", "generation_ms")),
    (Profile, ("selected_certification", "created_at")),
    (QuizQuestion, ("learner", "position", "created_at")),
    (
        Question,
        (
            "created_at",
            "updated_at",
            "certification",
            "question_text",
            "explanation",
            "reference_url",
            "source",
            "model",
            "content_hash",
            "status",
            "times_answered",
            "times_correct",
        ),
    ),
]


@functools.cache
def _quiz_for_grading_sql(lock: bool) -> str:
    quiz, item, question = Quiz, QuizQuestion, Question
    return (
        "SELECT "
        + ", ".join(select_list(model, defer=unread) for model, unread in _GRADING_READS)
        + f" FROM {table(quiz)}"
        f" INNER JOIN {table(Profile)} ON {column(Profile, 'user')} = {column(quiz, 'learner')}"
        f" INNER JOIN {table(item)} ON {column(item, 'quiz')} = {column(quiz, 'id')}"
        f" INNER JOIN {table(question)} ON {column(question, 'id')} = {column(item, 'question')}"
        f" WHERE {column(quiz, 'id')} = %s AND {column(quiz, 'learner')} = %s"
        f" ORDER BY {column(item, 'position')}"
        + (f" FOR UPDATE OF {table(quiz)}, {table(Profile)}" if lock else "")
    )


def _quiz_for_grading(
    *, learner: User, quiz_id: uuid.UUID | str, session: SessionCheck | None
) -> tuple[User, Quiz, Profile, list[QuizQuestion], LearnerStates, dict[str, list[tuple]]]:
    """The learner's quiz with its questions in order, and their profile, both rows locked until
    the transaction ends (PostgreSQL; SQLite runs one writing transaction at a time), then their
    adaptive state for the quiz's certification and the reads grading_reads' receivers ask for,
    all read together once the lock is held, with `session`'s check first if there is one (its
    user comes back in place of `learner`). Another learner's quiz, or none, is NotFoundError."""
    try:
        quiz_id = uuid.UUID(str(quiz_id))
    except ValueError:
        raise NotFoundError("Quiz not found") from None
    asked: dict[str, Read] = {}
    for _receiver, reads in grading_reads.send(sender=Quiz, learner=learner):
        asked.update(reads or {})
    reads = [
        Read(
            _quiz_for_grading_sql(connection.features.has_select_for_update_of),
            [db_value(Quiz, "id", quiz_id), db_value(Quiz, "learner", learner.pk)],
            _GRADING_READS,
        ),
        learner_states_of_quiz_read(learner=learner, quiz_id=quiz_id),
        *asked.values(),
    ]
    learner, (rows, state_rows, *asked_rows) = fetch_with_session(session, learner, *reads)
    if not rows:
        raise NotFoundError("Quiz not found")
    quiz, profile = rows[0][:2]
    domains = catalog().domains
    items = []
    for _, _, item, question in rows:
        question.domain = domains[question.domain_id]
        item.question, item.quiz = question, quiz
        items.append(item)
    states = learner_states_from(state_rows, learner=learner, certification_ids=[quiz.certification_id])
    return learner, quiz, profile, items, states, dict(zip(asked, asked_rows, strict=True))


def _parse_answers(items: list[QuizQuestion], answers: dict[str, Any]) -> dict[uuid.UUID, list[str] | None]:
    """Answers keyed by question id, each made of that question's options; anything else is a 400."""
    by_id = {str(item.pk): item for item in items}
    parsed: dict[uuid.UUID, list[str] | None] = {}
    errors: dict[str, list[str]] = {}
    for key, answer in answers.items():
        item = by_id.get(str(key).lower())
        if item is None:
            errors[f"answers.{key}"] = ["Not a question of this quiz."]
            continue
        try:
            parsed[item.pk] = normalize_answer(item.question.question_type, item.question.options, answer)
        except ValueError as error:
            errors[f"answers.{key}"] = [str(error)]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], errors=errors)
    return parsed


def _record_adaptive_state(
    *,
    learner: User,
    certification_id: uuid.UUID,
    stored: LearnerStates,
    items: list[QuizQuestion],
    accuracy: float,
) -> AdaptiveState:
    """Per-domain counts and recent answers, each domain's difficulty from its recent answers,
    and the certification's difficulty from this quiz, from the `stored` state read with the
    quiz. Returns the state as it now is. The learner's profile row is locked: no other grading
    of theirs changes these rows meanwhile."""
    outcomes: dict[uuid.UUID, list[bool]] = defaultdict(list)
    for item in items:
        outcomes[item.question.domain_id].append(bool(item.is_correct))
    difficulty = stored.difficulty.get(certification_id) or LearnerCertificationState().difficulty
    # All of this certification's domain states: the weak domains are judged across all of them.
    states = {state.domain_id: state for state in stored.domain_states.get(certification_id, [])}
    for domain_id, results in outcomes.items():
        state = states.get(domain_id)
        if state is None:
            state = states[domain_id] = LearnerDomainState(
                learner=learner, certification_id=certification_id, domain_id=domain_id, difficulty=difficulty
            )
        state.answered += len(results)
        state.correct += sum(results)
        state.recent = push_recent(state.recent, results)
        if has_evidence(state.recent):
            state.difficulty = next_difficulty(state.difficulty, recent_accuracy(state.recent))
    insert_rows(
        LearnerDomainState,
        [states[domain_id] for domain_id in outcomes],
        unique=["learner", "domain"],
        update=["answered", "correct", "recent", "difficulty", "updated_at"],
    )
    difficulty = next_difficulty(difficulty, accuracy / 100)
    insert_rows(
        LearnerCertificationState,
        [
            LearnerCertificationState(
                learner=learner, certification_id=certification_id, difficulty=difficulty
            )
        ],
        unique=["learner", "certification"],
        update=["difficulty", "updated_at"],
    )
    return build_adaptive_state(current_difficulty=difficulty, domain_states=states.values())


def _count_answers(items: list[QuizQuestion]) -> None:
    """Each bank question's usage counters: answered once more, and right once more if it was."""
    answered = [db_value(Question, "id", item.question_id) for item in items]
    right = [db_value(Question, "id", item.question_id) for item in items if item.is_correct]
    pk = column(Question, "id")
    counted_right = (
        f"CASE WHEN {pk} IN ({', '.join(['%s'] * len(right))}) THEN 1 ELSE 0 END" if right else "0"
    )
    answered_column, correct_column = column(Question, "times_answered"), column(Question, "times_correct")
    execute(
        f"UPDATE {table(Question)} SET {column(Question, 'times_answered', qualified=False)} = {answered_column} + 1,"
        f" {column(Question, 'times_correct', qualified=False)} = {correct_column} + {counted_right}"
        f" WHERE {pk} IN ({', '.join(['%s'] * len(answered))})",
        [*right, *answered],
    )


def _complete(quiz: Quiz) -> None:
    """Store the grade and the result, only if the quiz is still in progress."""
    fields = ["status", "score", "xp_earned", "completed_at", "result", "updated_at"]
    quiz.updated_at = timezone.now()
    sql = (
        f"UPDATE {table(Quiz)} SET "
        + ", ".join(f"{column(Quiz, name, qualified=False)} = %s" for name in fields)
        + f" WHERE {column(Quiz, 'id')} = %s AND {column(Quiz, 'status')} = %s"
    )
    params = [
        *(db_value(Quiz, name, getattr(quiz, name)) for name in fields),
        db_value(Quiz, "id", quiz.pk),
        QuizStatus.IN_PROGRESS,
    ]
    if connection.features.has_select_for_update_of:
        # The quiz's row has been locked since it was read in progress: no other grading can have
        # completed it, so the update goes out with the last writes instead of waiting for its count.
        execute(sql, params)
    elif not execute_counted(sql, params):
        raise _GradedMeanwhile


def _stored_result(quiz: Quiz) -> dict:
    return {**(quiz.result or {}), "already_evaluated": True}


def quiz_evaluate(
    *,
    learner: User,
    quiz_id: uuid.UUID | str,
    answers: dict[str, Any],
    now: datetime | None = None,
    session: SessionCheck | None = None,
) -> dict:
    """Grade the learner's quiz and award its XP exactly once. A quiz already graded returns the
    stored result with already_evaluated=True and changes nothing.

    With `session`, the check of an API request's token session (`learner` is then the token's
    user, by id), the check goes out with the grading's reads, so the request waits once for both:
    an ended session raises AuthenticationFailed there, before anything is written or returned."""
    now = now or timezone.now()
    try:
        # Pipelined: the reads (with those grading_reads' receivers ask for) come back in one
        # round trip, then the writes and the COMMIT go out together and are waited for once.
        with atomic_pipeline():
            learner, quiz, profile, items, stored, read = _quiz_for_grading(
                learner=learner, quiz_id=quiz_id, session=session
            )
            if quiz.status == QuizStatus.COMPLETED:
                return _stored_result(quiz)
            given = _parse_answers(items, answers or {})
            for item in items:
                item.user_answer = given.get(item.pk)
                item.is_correct = is_correct(
                    item.question.question_type, item.question.correct_answers, item.user_answer
                )
                item.xp_earned = xp_for(item.question.difficulty, item.is_correct)
            quiz.status, quiz.completed_at = QuizStatus.COMPLETED, now
            quiz.score = sum(1 for item in items if item.is_correct)
            quiz.xp_earned = sum(item.xp_earned for item in items)
            update_rows(QuizQuestion, items, ["user_answer", "is_correct", "xp_earned"])
            state = _record_adaptive_state(
                learner=learner,
                certification_id=quiz.certification_id,
                stored=stored,
                items=items,
                accuracy=quiz.accuracy,
            )
            result = {
                "success": True,
                "score": quiz.score,
                "total_questions": quiz.total_questions,
                "accuracy": quiz.accuracy,
                "xp_earned": quiz.xp_earned,
                "weak_domains": [{"name": w.name, "accuracy": w.accuracy} for w in state.weak_domains],
                "next_difficulty": state.current_difficulty,
            }
            evaluation = Evaluation(
                learner=learner, profile=profile, quiz=quiz, items=items, state=state, now=now, read=read
            )
            for _receiver, response in quiz_evaluated.send(sender=Quiz, evaluation=evaluation):
                if isinstance(response, dict):
                    result.update(response)
            quiz.result = result
            # Last, so the bank's shared rows stay locked for as short a time as possible.
            _count_answers(items)
            _complete(quiz)
    except _GradedMeanwhile:
        return _stored_result(Quiz.objects.get(pk=quiz.pk))
    return {**result, "already_evaluated": False}
