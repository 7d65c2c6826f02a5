"""The achievement catalog: each key with its name, how to earn it, and its rule."""

from collections.abc import Callable
from dataclasses import dataclass

from quizzes.models import Difficulty


@dataclass(frozen=True)
class Facts:
    """What the rules look at, right after a quiz is graded."""

    quiz_accuracy: float  # percent
    quiz_difficulty: str
    quiz_questions: int
    total_quizzes: int
    total_answered: int
    current_streak: int
    level: int
    has_mastered_domain: bool


@dataclass(frozen=True)
class AchievementRule:
    key: str
    name: str
    description: str
    earned: Callable[[Facts], bool]


CATALOG: list[AchievementRule] = [
    AchievementRule("first_quiz", "First Quiz", "Complete your first quiz.", lambda f: f.total_quizzes >= 1),
    AchievementRule(
        "perfect_score", "Perfect Score", "Score 90% or more on a quiz.", lambda f: f.quiz_accuracy >= 90
    ),
    AchievementRule(
        "streak_7", "7-Day Streak", "Practise on 7 days in a row (UTC).", lambda f: f.current_streak >= 7
    ),
    AchievementRule(
        "questions_100", "100 Questions", "Answer 100 questions.", lambda f: f.total_answered >= 100
    ),
    AchievementRule("level_5", "Level 5", "Reach level 5 (400 XP).", lambda f: f.level >= 5),
    AchievementRule("quizzes_25", "Quiz Regular", "Complete 25 quizzes.", lambda f: f.total_quizzes >= 25),
    AchievementRule(
        "hard_mode",
        "Hard Mode",
        "Answer every question right in a hard quiz of 5 or more questions.",
        lambda f: f.quiz_difficulty == Difficulty.HARD and f.quiz_questions >= 5 and f.quiz_accuracy == 100,
    ),
    AchievementRule(
        "domain_master",
        "Domain Master",
        "Reach 90% accuracy over 20 or more answers in one exam domain.",
        lambda f: f.has_mastered_domain,
    ),
    AchievementRule("level_10", "Level 10", "Reach level 10 (900 XP).", lambda f: f.level >= 10),
    AchievementRule(
        "questions_500", "500 Questions", "Answer 500 questions.", lambda f: f.total_answered >= 500
    ),
    AchievementRule(
        "streak_30", "30-Day Streak", "Practise on 30 days in a row (UTC).", lambda f: f.current_streak >= 30
    ),
]

BY_KEY = {rule.key: rule for rule in CATALOG}
