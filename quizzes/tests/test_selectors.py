from datetime import UTC, date, datetime

import pytest

from mindquest.common.db import fetch_together
from quizzes.models import Quiz, QuizStatus
from quizzes.selectors import recent_quizzes_from, recent_quizzes_read, xp_by_day

pytestmark = pytest.mark.django_db


def completed(learner, certification, *, at: datetime, xp: int) -> Quiz:
    return Quiz.objects.create(
        learner=learner,
        certification=certification,
        difficulty="easy",
        total_questions=5,
        score=1,
        status=QuizStatus.COMPLETED,
        completed_at=at,
        xp_earned=xp,
    )


def test_xp_by_day_sums_each_utc_day_from_since_on(learner, other_learner, certification):
    completed(learner, certification, at=datetime(2026, 3, 8, 23, 59, tzinfo=UTC), xp=100)  # before
    completed(learner, certification, at=datetime(2026, 3, 9, 0, 0, tzinfo=UTC), xp=10)
    completed(learner, certification, at=datetime(2026, 3, 9, 23, 59, tzinfo=UTC), xp=20)
    completed(learner, certification, at=datetime(2026, 3, 11, 8, 0, tzinfo=UTC), xp=7)
    completed(other_learner, certification, at=datetime(2026, 3, 9, 12, 0, tzinfo=UTC), xp=50)
    Quiz.objects.create(learner=learner, certification=certification, difficulty="easy", total_questions=5)

    assert xp_by_day(learner=learner, since=date(2026, 3, 9)) == [
        (date(2026, 3, 9), 30),
        (date(2026, 3, 11), 7),
    ]


def test_xp_by_day_is_empty_without_completed_quizzes(learner):
    assert xp_by_day(learner=learner, since=date(2026, 3, 9)) == []


def test_recent_quizzes_are_the_completed_ones_and_the_newest_unfinished_one(
    learner, other_learner, certification
):
    def started(who, day: int, *, graded: bool) -> Quiz:
        at = datetime(2026, 3, day, tzinfo=UTC)
        if graded:
            quiz = completed(who, certification, at=at, xp=5)
        else:
            quiz = Quiz.objects.create(
                learner=who, certification=certification, difficulty="easy", total_questions=5
            )
        Quiz.objects.filter(pk=quiz.pk).update(created_at=at)
        return quiz

    first = started(learner, 1, graded=True)
    started(learner, 2, graded=False)
    second = started(learner, 3, graded=True)
    started(learner, 4, graded=False)
    newest_unfinished = started(learner, 5, graded=False)
    started(other_learner, 6, graded=False)
    started(other_learner, 7, graded=True)

    def recent(limit: int) -> list:
        rows = fetch_together(recent_quizzes_read(learner=learner, limit=limit))[0]
        return [quiz.pk for quiz in recent_quizzes_from(rows)]

    assert recent(5) == [newest_unfinished.pk, second.pk, first.pk]
    assert recent(2) == [newest_unfinished.pk, second.pk]
