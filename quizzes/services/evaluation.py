"""Grading a quiz, once and only once, and moving the learner's adaptive state."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.models import User
from certifications.models import Certification
from mindquest.common.db import update_rows
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
from quizzes.selectors import AdaptiveState, build_adaptive_state
from quizzes.signals import quiz_evaluated


@dataclass(frozen=True)
class Evaluation:
    """What the quiz_evaluated signal carries to its receivers."""

    learner: User
    quiz: Quiz
    items: list[QuizQuestion]
    now: datetime

    @property
    def answered(self) -> int:
        return len(self.items)

    @property
    def correct(self) -> int:
        return sum(1 for item in self.items if item.is_correct)


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
    *, learner: User, certification: Certification, items: list[QuizQuestion], accuracy: float
) -> AdaptiveState:
    """Per-domain counts and recent answers, each domain's difficulty from its recent answers,
    and the certification's difficulty from this quiz. Returns the state as it now is."""
    outcomes: dict[uuid.UUID, list[bool]] = defaultdict(list)
    for item in items:
        outcomes[item.question.domain_id].append(bool(item.is_correct))
    certification_state, _ = LearnerCertificationState.objects.select_for_update().get_or_create(
        learner=learner, certification=certification
    )
    # All of this certification's domain states: the weak domains are judged across all of them.
    states = {
        state.domain_id: state
        for state in LearnerDomainState.objects.select_for_update()
        .select_related("domain")
        .filter(learner=learner, certification=certification)
    }
    touched = [states[domain_id] for domain_id in outcomes if domain_id in states]
    domains = {item.question.domain_id: item.question.domain for item in items}
    new_states = []
    for domain_id, results in outcomes.items():
        state = states.get(domain_id)
        if state is None:
            state = LearnerDomainState(
                learner=learner,
                certification=certification,
                domain=domains[domain_id],
                difficulty=certification_state.difficulty,
            )
            new_states.append(state)
            states[domain_id] = state
        state.answered += len(results)
        state.correct += sum(results)
        state.recent = push_recent(state.recent, results)
        if has_evidence(state.recent):
            state.difficulty = next_difficulty(state.difficulty, recent_accuracy(state.recent))
    LearnerDomainState.objects.bulk_create(new_states)
    for state in touched:
        state.updated_at = timezone.now()
    update_rows(LearnerDomainState, touched, ["answered", "correct", "recent", "difficulty", "updated_at"])
    certification_state.difficulty = next_difficulty(certification_state.difficulty, accuracy / 100)
    certification_state.save(update_fields=["difficulty", "updated_at"])
    return build_adaptive_state(
        current_difficulty=certification_state.difficulty, domain_states=states.values()
    )


def _stored_result(quiz: Quiz) -> dict:
    return {**(quiz.result or {}), "already_evaluated": True}


def quiz_evaluate(
    *, learner: User, quiz_id: uuid.UUID | str, answers: dict[str, Any], now: datetime | None = None
) -> dict:
    """Grade the learner's quiz and award its XP exactly once. A quiz already graded returns the
    stored result with already_evaluated=True and changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            # The row lock makes concurrent submissions wait here (PostgreSQL); the conditional
            # update below guards the same thing where there is no row lock (SQLite).
            quiz = (
                Quiz.objects.select_for_update()
                .of_learner(learner)
                .select_related("certification")
                .get(pk=quiz_id)
            )
        except (Quiz.DoesNotExist, ValueError, ValidationError):
            raise NotFoundError("Quiz not found") from None
        if quiz.status == QuizStatus.COMPLETED:
            return _stored_result(quiz)
        items = list(quiz.items.select_related("question__domain").order_by("position"))
        given = _parse_answers(items, answers or {})

        for item in items:
            item.user_answer = given.get(item.pk)
            item.is_correct = is_correct(
                item.question.question_type, item.question.correct_answers, item.user_answer
            )
            item.xp_earned = xp_for(item.question.difficulty, item.is_correct)
        score = sum(1 for item in items if item.is_correct)
        xp = sum(item.xp_earned for item in items)
        claimed = Quiz.objects.filter(pk=quiz.pk, status=QuizStatus.IN_PROGRESS).update(
            status=QuizStatus.COMPLETED, score=score, xp_earned=xp, completed_at=now
        )
        if not claimed:
            quiz.refresh_from_db()
            return _stored_result(quiz)
        quiz.status, quiz.score, quiz.xp_earned, quiz.completed_at = QuizStatus.COMPLETED, score, xp, now

        update_rows(QuizQuestion, items, ["user_answer", "is_correct", "xp_earned"])
        correct_ids = [item.question_id for item in items if item.is_correct]
        counted_correct = (
            Case(When(pk__in=correct_ids, then=Value(1)), default=Value(0)) if correct_ids else 0
        )
        Question.objects.filter(pk__in=[item.question_id for item in items]).update(
            times_answered=F("times_answered") + 1, times_correct=F("times_correct") + counted_correct
        )
        state = _record_adaptive_state(
            learner=learner, certification=quiz.certification, items=items, accuracy=quiz.accuracy
        )

        result = {
            "success": True,
            "score": score,
            "total_questions": quiz.total_questions,
            "accuracy": quiz.accuracy,
            "xp_earned": xp,
            "weak_domains": [{"name": w.name, "accuracy": w.accuracy} for w in state.weak_domains],
            "next_difficulty": state.current_difficulty,
        }
        for _receiver, response in quiz_evaluated.send(
            sender=Quiz, evaluation=Evaluation(learner=learner, quiz=quiz, items=items, now=now)
        ):
            if isinstance(response, dict):
                result.update(response)
        Quiz.objects.filter(pk=quiz.pk).update(result=result)
        quiz.result = result
    return {**result, "already_evaluated": False}
