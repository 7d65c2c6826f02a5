from datetime import UTC, date, datetime

import pytest

from quizzes.models import Quiz, QuizStatus
from quizzes.selectors import xp_by_day

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
