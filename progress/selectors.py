"""Reads of a learner's progress: per certification, the dashboard, achievements, the profile."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Profile, User
from certifications.models import Certification
from certifications.selectors import catalog
from mindquest.common.db import Read, column, db_value, fetch_together, select_list, table
from progress.achievements import BY_KEY, CATALOG, AchievementRule
from progress.models import Achievement, UserProgress
from progress.services import XP_PER_LEVEL, progress_rows_read, streak_as_of
from quizzes.selectors import (
    AdaptiveState,
    adaptive_state,
    adaptive_states_from,
    every_learner_state_read,
    learner_states_from,
)

RECENT_ACHIEVEMENTS = 5


@dataclass(frozen=True)
class ProgressView:
    """Totals for one certification with the engine's adaptive state beside them."""

    progress: UserProgress
    state: AdaptiveState


@dataclass(frozen=True)
class ProfileView:
    profile: Profile
    current_streak: int  # 0 once a day has passed without practice
    selected_certification: Certification | None = None

    @property
    def xp_into_level(self) -> int:
        return self.profile.xp % XP_PER_LEVEL

    @property
    def xp_for_next_level(self) -> int:
        return XP_PER_LEVEL


@dataclass(frozen=True)
class Dashboard:
    profile: ProfileView
    progresses: list[ProgressView]
    recent_achievements: list[Achievement]
    selected: ProgressView | None = None
    totals: dict = field(default_factory=dict)


def _zero_progress(*, learner: User, certification_id: uuid.UUID) -> UserProgress:
    """Progress for a certification never practised: all zeros, and never saved."""
    return UserProgress(id=None, learner=learner, certification_id=certification_id, updated_at=None)


def _today(now: datetime | None) -> "datetime.date":
    return (now or timezone.now()).astimezone(UTC).date()


def profile_view(
    *, learner: User, profile: Profile | None = None, now: datetime | None = None
) -> ProfileView:
    """The learner's profile as it was loaded with them (or `profile`, just changed)."""
    profile = profile or learner.profile
    selected_id = profile.selected_certification_id
    return ProfileView(
        profile=profile,
        current_streak=streak_as_of(
            current=profile.current_streak, last_day=profile.last_quiz_date, today=_today(now)
        ),
        selected_certification=catalog().certifications.get(selected_id) if selected_id else None,
    )


def progress_list(*, learner: User) -> list[ProgressView]:
    """Progress for each certification the learner has practised, by certification name."""
    progress, _ = _progress_and(learner)
    return progress


def _progress_and(learner: User, *reads: Read) -> tuple[list[ProgressView], list[list[tuple]]]:
    """`progress_list`, read in one wait with `reads`, whose rows come back beside it."""
    rows, state_rows, *more = fetch_together(
        progress_rows_read(learner=learner), every_learner_state_read(learner=learner), *reads
    )
    names = {pk: certification.name for pk, certification in catalog().certifications.items()}
    rows = sorted((row for (row,) in rows), key=lambda row: names[row.certification_id])
    practised = [row.certification_id for row in rows]
    states = adaptive_states_from(
        learner_states_from(state_rows, learner=learner, certification_ids=practised)
    )
    return [ProgressView(row, states.get(row.certification_id, AdaptiveState())) for row in rows], more


def progress_for_certification(*, learner: User, certification: Certification) -> ProgressView:
    """Progress for one certification; zeros (not saved) when the learner has not practised it."""
    row = UserProgress.objects.filter(learner=learner, certification=certification).first()
    state = adaptive_state(learner=learner, certification=certification)
    return ProgressView(row or _zero_progress(learner=learner, certification_id=certification.pk), state)


def dashboard_for(*, learner: User, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries sent together."""
    dashboard, _ = dashboard_and(learner=learner, now=now)
    return dashboard


def dashboard_and(
    *, learner: User, reads: Sequence[Read] = (), now: datetime | None = None
) -> tuple[Dashboard, list[list[tuple]]]:
    """`dashboard_for`, read in one wait with `reads` (the dashboard page's own), whose rows come
    back beside it."""
    profile = profile_view(learner=learner, now=now)
    progresses, [achievement_rows, *more] = _progress_and(
        learner, _recent_achievements_read(learner, RECENT_ACHIEVEMENTS), *reads
    )
    answered = sum(view.progress.total_questions_answered for view in progresses)
    correct = sum(view.progress.correct_answers for view in progresses)
    selected = None
    selected_id = profile.profile.selected_certification_id
    if selected_id:
        selected = next((view for view in progresses if view.progress.certification_id == selected_id), None)
        if selected is None:
            selected = ProgressView(
                _zero_progress(learner=learner, certification_id=selected_id), AdaptiveState()
            )
    dashboard = Dashboard(
        profile=profile,
        progresses=progresses,
        recent_achievements=[achievement for (achievement,) in achievement_rows],
        selected=selected,
        totals={
            "total_quizzes": sum(view.progress.total_quizzes for view in progresses),
            "total_questions": answered,
            "average_accuracy": round(100 * correct / answered, 1) if answered else 0.0,
        },
    )
    return dashboard, more


def achievements_for_learner(*, learner: User) -> QuerySet[Achievement]:
    """Earned achievements, newest first."""
    return Achievement.objects.filter(learner=learner).order_by("-earned_at", "key")


def _recent_achievements_read(learner: User, limit: int) -> Read:
    """The newest few of `achievements_for_learner`, written out (every dashboard shows them)."""
    earned_at, key = column(Achievement, "earned_at"), column(Achievement, "key")
    return Read(
        f"SELECT {select_list(Achievement)} FROM {table(Achievement)}"
        f" WHERE {column(Achievement, 'learner')} = %s ORDER BY {earned_at} DESC, {key} LIMIT %s",
        [db_value(Achievement, "learner", learner.pk), limit],
        [Achievement],
    )


def achievement_rule(key: str) -> AchievementRule | None:
    return BY_KEY.get(key)


def achievement_board(
    *, learner: User
) -> tuple[list[tuple[AchievementRule, Achievement]], list[AchievementRule]]:
    """The catalog split into earned (with when) and still locked (with how to earn them)."""
    earned = {achievement.key: achievement for achievement in achievements_for_learner(learner=learner)}
    return (
        [(rule, earned[rule.key]) for rule in CATALOG if rule.key in earned],
        [rule for rule in CATALOG if rule.key not in earned],
    )
