from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.models import Profile
from progress import services
from progress.achievements import CATALOG
from progress.models import Achievement, UserProgress
from progress.services import ProfileChange, level_for, streak_after, streak_as_of
from quizzes.models import LearnerDomainState

pytestmark = pytest.mark.django_db

MONDAY_NOON = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("xp", "level"), [(0, 1), (99, 1), (100, 2), (199, 2), (200, 3), (950, 10)])
def test_level_is_xp_over_100_plus_one(xp, level):
    assert level_for(xp) == level


@pytest.mark.parametrize(
    ("current", "last_day", "today", "expected"),
    [
        (0, None, date(2026, 3, 9), 1),  # first quiz ever
        (3, date(2026, 3, 9), date(2026, 3, 9), 3),  # same day: unchanged
        (3, date(2026, 3, 8), date(2026, 3, 9), 4),  # next day: +1
        (3, date(2026, 3, 7), date(2026, 3, 9), 1),  # a gap: back to 1
        (3, date(2026, 2, 28), date(2026, 3, 1), 4),  # across a month end
    ],
)
def test_streak_moves_by_calendar_day(current, last_day, today, expected):
    assert streak_after(current=current, last_day=last_day, today=today) == expected


def test_streak_days_are_utc_days(learner):
    late = datetime(2026, 3, 9, 23, 59, tzinfo=UTC)
    services.profile_record_quiz(learner=learner, xp=5, now=late)
    # 00:01 UTC is the next day, even where it is still the evening of the 9th.
    early = datetime(2026, 3, 10, 0, 1, tzinfo=UTC)
    change = services.profile_record_quiz(learner=learner, xp=5, now=early)
    assert change.current_streak == 2
    again = services.profile_record_quiz(learner=learner, xp=5, now=early + timedelta(hours=5))
    assert again.current_streak == 2


def test_a_timezone_aware_time_elsewhere_counts_by_its_utc_day(learner):
    from zoneinfo import ZoneInfo

    services.profile_record_quiz(learner=learner, xp=5, now=datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    # 20:00 in New York on the 9th is 00:00 UTC on the 10th.
    ny = datetime(2026, 3, 9, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    assert services.profile_record_quiz(learner=learner, xp=5, now=ny).current_streak == 2


def test_profile_records_xp_level_and_longest_streak(learner):
    for day in range(3):
        services.profile_record_quiz(learner=learner, xp=40, now=MONDAY_NOON + timedelta(days=day))
    change = services.profile_record_quiz(learner=learner, xp=40, now=MONDAY_NOON + timedelta(days=5))
    profile = Profile.objects.get(user=learner)
    assert (profile.xp, profile.level) == (160, 2)
    assert (profile.current_streak, profile.longest_streak) == (1, 3)
    assert profile.last_quiz_date == date(2026, 3, 14)
    assert change == ProfileChange(previous_level=2, level=2, current_streak=1, longest_streak=3)


def test_level_up_is_reported(learner):
    services.profile_record_quiz(learner=learner, xp=95, now=MONDAY_NOON)
    change = services.profile_record_quiz(learner=learner, xp=10, now=MONDAY_NOON)
    assert (change.previous_level, change.level) == (1, 2)


@pytest.mark.parametrize(
    ("last_day", "shown"), [(date(2026, 3, 9), 4), (date(2026, 3, 8), 4), (date(2026, 3, 7), 0), (None, 0)]
)
def test_the_streak_shown_ends_once_a_whole_day_is_missed(last_day, shown):
    assert streak_as_of(current=4, last_day=last_day, today=date(2026, 3, 9)) == shown


def test_progress_totals_add_up_per_certification(learner, certification):
    services.progress_record_quiz(
        learner=learner, certification_id=certification.pk, answered=5, correct=4, xp=20
    )
    services.progress_record_quiz(
        learner=learner, certification_id=certification.pk, answered=5, correct=1, xp=5
    )
    progress = UserProgress.objects.get(learner=learner, certification=certification)
    assert (progress.total_quizzes, progress.total_questions_answered, progress.correct_answers) == (2, 10, 5)
    assert (progress.total_xp, progress.accuracy) == (25, 50.0)


# --- achievements ---------------------------------------------------------------------------------

BASE = {"quiz_accuracy": 40.0, "quiz_difficulty": "easy", "quiz_questions": 5}


def award(learner, *, level: int = 1, streak: int = 1, **quiz) -> list[str]:
    earned = services.achievements_award(
        learner=learner,
        **{**BASE, **quiz},
        profile=ProfileChange(
            previous_level=level, level=level, current_streak=streak, longest_streak=streak
        ),
        now=MONDAY_NOON,
    )
    return [rule.key for rule in earned]


def totals(learner, certification, *, quizzes: int, answered: int) -> None:
    UserProgress.objects.update_or_create(
        learner=learner,
        certification=certification,
        defaults={"total_quizzes": quizzes, "total_questions_answered": answered, "correct_answers": 0},
    )


def test_the_catalog_has_at_least_eight_including_the_original_three():
    names = {rule.name for rule in CATALOG}
    assert len(CATALOG) >= 8
    assert {"7-Day Streak", "Perfect Score", "100 Questions"} <= names
    assert len({rule.key for rule in CATALOG}) == len(CATALOG)


@pytest.mark.parametrize(
    ("key", "setup", "quiz"),
    [
        ("first_quiz", {"quizzes": 1, "answered": 5}, {}),
        ("perfect_score", {"quizzes": 2, "answered": 10}, {"quiz_accuracy": 90.0}),
        ("streak_7", {"quizzes": 2, "answered": 10}, {"streak": 7}),
        ("questions_100", {"quizzes": 20, "answered": 100}, {}),
        ("level_5", {"quizzes": 2, "answered": 10}, {"level": 5}),
        ("quizzes_25", {"quizzes": 25, "answered": 125}, {}),
        ("hard_mode", {"quizzes": 2, "answered": 10}, {"quiz_accuracy": 100.0, "quiz_difficulty": "hard"}),
        ("level_10", {"quizzes": 2, "answered": 10}, {"level": 10}),
        ("questions_500", {"quizzes": 2, "answered": 500}, {}),
        ("streak_30", {"quizzes": 2, "answered": 10}, {"streak": 30}),
    ],
)
def test_every_achievement_is_awarded_once(learner, certification, key, setup, quiz):
    if key != "first_quiz":  # the first quiz is behind every learner in these cases
        Achievement.objects.create(learner=learner, key="first_quiz", earned_at=MONDAY_NOON)
    totals(learner, certification, **setup)
    assert key in award(learner, **quiz)
    assert key not in award(learner, **quiz)
    assert Achievement.objects.filter(learner=learner, key=key).count() == 1


def test_domain_master_needs_90_percent_over_20_answers(learner, certification):
    domain = certification.domains.first()
    state = LearnerDomainState.objects.create(
        learner=learner, certification=certification, domain=domain, answered=20, correct=17
    )
    assert "domain_master" not in award(learner)
    state.correct = 18
    state.save()
    assert "domain_master" in award(learner)
    assert "domain_master" not in award(learner)


def test_near_misses_earn_nothing(learner, certification):
    totals(learner, certification, quizzes=24, answered=99)
    Achievement.objects.create(learner=learner, key="first_quiz", earned_at=MONDAY_NOON)
    assert award(learner, quiz_accuracy=89.9, streak=6, level=4) == []
    assert award(learner, quiz_accuracy=100.0, quiz_difficulty="hard", quiz_questions=4) == ["perfect_score"]
