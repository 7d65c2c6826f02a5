"""Gamification rules: XP into levels, daily streaks, progress totals, achievements."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Profile, User
from mindquest.common.db import (
    Read,
    column,
    db_value,
    fetch_together,
    insert_rows,
    select_list,
    table,
    update_rows,
)
from progress.achievements import CATALOG, AchievementRule, Facts
from progress.models import Achievement, UserProgress
from quizzes.selectors import DomainStat, has_mastered_a_domain

XP_PER_LEVEL = 100

# These run inside quiz evaluation's transaction (from its signal): no savepoint of their own, so
# a failure rolls the whole evaluation back; called alone, each is still one transaction.
in_transaction = transaction.atomic(savepoint=False)
MASTERY_MIN_ANSWERS = 20
MASTERY_ACCURACY_PERCENT = 90
# The names of this app's reads sent with a grading's (quizzes.signals.grading_reads).
PROGRESS_ROWS, ACHIEVEMENT_KEYS = "progress.rows", "progress.achievement_keys"


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
def profile_record_quiz(
    *, learner: User, xp: int, now: datetime, profile: Profile | None = None
) -> ProfileChange:
    """Add a graded quiz's XP to the profile and move the level and the daily streak. Pass
    `profile` when this transaction already holds its row lock (grading does)."""
    if profile is None:
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
    profile.updated_at = timezone.now()
    update_rows(
        Profile,
        [profile],
        ["xp", "level", "current_streak", "longest_streak", "last_quiz_date", "updated_at"],
    )
    return ProfileChange(previous_level, profile.level, profile.current_streak, profile.longest_streak)


def progress_rows_read(*, learner: User, lock: bool = False) -> Read:
    """The read of `progress_rows`, to send with other reads (`db.fetch_together`)."""
    sql = f"SELECT {select_list(UserProgress)} FROM {table(UserProgress)} WHERE {column(UserProgress, 'learner')} = %s"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return Read(sql, [db_value(UserProgress, "learner", learner.pk)], [UserProgress])


def _achievement_keys_read(*, learner: User) -> Read:
    return Read(
        f"SELECT {column(Achievement, 'key')} FROM {table(Achievement)} WHERE {column(Achievement, 'learner')} = %s",
        [db_value(Achievement, "learner", learner.pk)],
        extra=1,
    )


def progress_rows(*, learner: User, lock: bool = False) -> list[UserProgress]:
    """The learner's progress rows, one per certification practised (locked until the
    transaction ends when `lock`, on PostgreSQL): written out, as the dashboard and grading
    read them on every call."""
    return [row for (row,) in fetch_together(progress_rows_read(learner=learner, lock=lock))[0]]


def achievement_keys(*, learner: User) -> set[str]:
    """The keys of the achievements the learner has earned."""
    return {key for (key,) in fetch_together(_achievement_keys_read(learner=learner))[0]}


def reads_for_grading(*, learner: User) -> dict[str, Read]:
    """What grading's progress and achievements start from, the learner's progress rows (locked)
    and achievement keys, as reads for the grading to send with its own
    (quizzes.signals.grading_reads); `from_grading_reads` makes their rows the values."""
    return {
        PROGRESS_ROWS: progress_rows_read(learner=learner, lock=True),
        ACHIEVEMENT_KEYS: _achievement_keys_read(learner=learner),
    }


def from_grading_reads(read: dict[str, list[tuple]]) -> tuple[list[UserProgress], set[str]]:
    """(progress rows, achievement keys) from the rows of `reads_for_grading`."""
    return [row for (row,) in read[PROGRESS_ROWS]], {key for (key,) in read[ACHIEVEMENT_KEYS]}


@in_transaction
def progress_record_quiz(
    *,
    learner: User,
    certification_id,
    answered: int,
    correct: int,
    xp: int,
    rows: list[UserProgress] | None = None,
) -> list[UserProgress]:
    """Add a graded quiz to the learner's totals for its certification. Returns every one of the
    learner's progress rows, as they now are (the achievements count across certifications).
    Pass `rows` when this transaction already read them locked."""
    rows = progress_rows(learner=learner, lock=True) if rows is None else rows
    progress = next((row for row in rows if row.certification_id == certification_id), None)
    if progress is None:
        progress = UserProgress(learner=learner, certification_id=certification_id)
        rows.append(progress)
    progress.total_quizzes += 1
    progress.total_questions_answered += answered
    progress.correct_answers += correct
    progress.total_xp += xp
    # Written whole: the rows are locked, or (a first quiz) the insert meets any other at the key.
    insert_rows(
        UserProgress,
        [progress],
        unique=["learner", "certification"],
        update=["total_quizzes", "total_questions_answered", "correct_answers", "total_xp", "updated_at"],
    )
    return rows


@in_transaction
def achievements_award(
    *,
    learner: User,
    quiz_accuracy: float,
    quiz_difficulty: str,
    quiz_questions: int,
    profile: ProfileChange,
    now: datetime,
    progress: list[UserProgress] | None = None,
    domains: list[DomainStat] | None = None,
    have: set[str] | None = None,
) -> list[AchievementRule]:
    """Award every achievement whose rule now holds and that the learner does not have yet.
    Grading passes the learner's progress rows, the quiz's domains as they now are, and the keys
    the learner had; without them they are read (any domain of any certification counts for
    mastery)."""
    have = achievement_keys(learner=learner) if have is None else have
    pending = [rule for rule in CATALOG if rule.key not in have]
    if not pending:
        return []
    if progress is None:
        progress = progress_rows(learner=learner)
    if "domain_master" in have:
        mastered = False
    elif domains is not None:
        mastered = any(_is_mastered(domain.answered, domain.correct) for domain in domains)
    else:
        mastered = has_mastered_a_domain(
            learner=learner, min_answers=MASTERY_MIN_ANSWERS, min_accuracy_percent=MASTERY_ACCURACY_PERCENT
        )
    facts = Facts(
        quiz_accuracy=quiz_accuracy,
        quiz_difficulty=quiz_difficulty,
        quiz_questions=quiz_questions,
        total_quizzes=sum(row.total_quizzes for row in progress),
        total_answered=sum(row.total_questions_answered for row in progress),
        current_streak=profile.current_streak,
        level=profile.level,
        has_mastered_domain=mastered,
    )
    earned = [rule for rule in pending if rule.earned(facts)]
    # The unique (learner, key) constraint keeps each at most once even under a race.
    Achievement.objects.bulk_create(
        [Achievement(learner=learner, key=rule.key, earned_at=now) for rule in earned], ignore_conflicts=True
    )
    return earned


def _is_mastered(answered: int, correct: int) -> bool:
    """At least MASTERY_MIN_ANSWERS answers in a domain, MASTERY_ACCURACY_PERCENT of them right."""
    return answered >= MASTERY_MIN_ANSWERS and correct * 100 >= answered * MASTERY_ACCURACY_PERCENT


def streak_as_of(*, current: int, last_day: date | None, today: date) -> int:
    """The streak as the learner sees it today: it ends once a whole UTC day passes without practice."""
    if last_day is None or last_day < today - timedelta(days=1):
        return 0
    return current
