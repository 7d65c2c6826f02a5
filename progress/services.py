"""Gamification rules: XP into levels, daily streaks, progress totals, achievements."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum

from accounts.models import Profile, User
from progress.achievements import CATALOG, AchievementRule, Facts
from progress.models import Achievement, UserProgress
from quizzes.selectors import has_mastered_a_domain

XP_PER_LEVEL = 100

# These run inside quiz evaluation's transaction (from its signal): no savepoint of their own, so
# a failure rolls the whole evaluation back; called alone, each is still one transaction.
in_transaction = transaction.atomic(savepoint=False)
MASTERY_MIN_ANSWERS = 20
MASTERY_ACCURACY_PERCENT = 90


def level_for(xp: int) -> int:
    return xp // XP_PER_LEVEL + 1


def streak_after(*, current: int, last_day: date | None, today: date) -> int:
    """Practising again the same UTC day keeps the streak, the next day extends it, a gap restarts it."""
    if last_day is not None and last_day >= today:
        return max(current, 1)
    if last_day == today - timedelta(days=1):
        return current + 1
    return 1


@dataclass(frozen=True)
class ProfileChange:
    previous_level: int
    level: int
    current_streak: int
    longest_streak: int


@in_transaction
def profile_record_quiz(*, learner: User, xp: int, now: datetime) -> ProfileChange:
    """Add a graded quiz's XP to the profile and move the level and the daily streak."""
    profile = Profile.objects.select_for_update().get(user=learner)
    today = now.astimezone(UTC).date()
    previous_level = profile.level
    profile.xp += xp
    profile.level = level_for(profile.xp)
    profile.current_streak = streak_after(
        current=profile.current_streak, last_day=profile.last_quiz_date, today=today
    )
    profile.longest_streak = max(profile.longest_streak, profile.current_streak)
    profile.last_quiz_date = max(today, profile.last_quiz_date or today)
    profile.save(
        update_fields=["xp", "level", "current_streak", "longest_streak", "last_quiz_date", "updated_at"]
    )
    return ProfileChange(previous_level, profile.level, profile.current_streak, profile.longest_streak)


@in_transaction
def progress_record_quiz(
    *, learner: User, certification_id, answered: int, correct: int, xp: int
) -> UserProgress:
    """Add a graded quiz to the learner's totals for its certification."""
    progress, _ = UserProgress.objects.select_for_update().get_or_create(
        learner=learner, certification_id=certification_id
    )
    progress.total_quizzes += 1
    progress.total_questions_answered += answered
    progress.correct_answers += correct
    progress.total_xp += xp
    progress.save(
        update_fields=[
            "total_quizzes",
            "total_questions_answered",
            "correct_answers",
            "total_xp",
            "updated_at",
        ]
    )
    return progress


@in_transaction
def achievements_award(
    *,
    learner: User,
    quiz_accuracy: float,
    quiz_difficulty: str,
    quiz_questions: int,
    profile: ProfileChange,
    now: datetime,
) -> list[AchievementRule]:
    """Award every achievement whose rule now holds and that the learner does not have yet."""
    have = set(Achievement.objects.filter(learner=learner).values_list("key", flat=True))
    pending = [rule for rule in CATALOG if rule.key not in have]
    if not pending:
        return []
    totals = UserProgress.objects.filter(learner=learner).aggregate(
        quizzes=Sum("total_quizzes"), answered=Sum("total_questions_answered")
    )
    facts = Facts(
        quiz_accuracy=quiz_accuracy,
        quiz_difficulty=quiz_difficulty,
        quiz_questions=quiz_questions,
        total_quizzes=totals["quizzes"] or 0,
        total_answered=totals["answered"] or 0,
        current_streak=profile.current_streak,
        level=profile.level,
        has_mastered_domain="domain_master" not in have
        and has_mastered_a_domain(
            learner=learner, min_answers=MASTERY_MIN_ANSWERS, min_accuracy_percent=MASTERY_ACCURACY_PERCENT
        ),
    )
    earned = [rule for rule in pending if rule.earned(facts)]
    # The unique (learner, key) constraint keeps each at most once even under a race.
    Achievement.objects.bulk_create(
        [Achievement(learner=learner, key=rule.key, earned_at=now) for rule in earned], ignore_conflicts=True
    )
    return earned


def streak_as_of(*, current: int, last_day: date | None, today: date) -> int:
    """The streak as the learner sees it today: it ends once a whole UTC day passes without practice."""
    if last_day is None or last_day < today - timedelta(days=1):
        return 0
    return current
