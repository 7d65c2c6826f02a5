from rest_framework import serializers

from accounts.validators import username_validator
from mindquest.common.serializers import OutputSerializer, iso_date, iso_datetime, text_id
from progress.models import Achievement
from progress.selectors import Dashboard, ProfileView, ProgressView
from quizzes.models import Difficulty
from quizzes.selectors import WeakDomain


class WeakDomainOutputSerializer(OutputSerializer):
    name = serializers.CharField()
    accuracy = serializers.FloatField(help_text="Percent over the domain's recent answers.")

    @classmethod
    def represent(cls, weak: WeakDomain, context: dict) -> dict:
        return {"name": weak.name, "accuracy": float(weak.accuracy)}


class ProgressOutputSerializer(OutputSerializer):
    """A ProgressView: the totals and the adaptive state for one certification."""

    id = serializers.UUIDField(
        source="progress.id", allow_null=True, help_text="null until the first graded quiz"
    )
    user_id = serializers.UUIDField(source="progress.learner_id")
    certification_id = serializers.UUIDField(source="progress.certification_id")
    total_xp = serializers.IntegerField(source="progress.total_xp")
    total_quizzes = serializers.IntegerField(source="progress.total_quizzes")
    total_questions_answered = serializers.IntegerField(source="progress.total_questions_answered")
    correct_answers = serializers.IntegerField(source="progress.correct_answers")
    accuracy = serializers.FloatField(source="progress.accuracy", help_text="Percent.")
    current_difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, source="state.current_difficulty"
    )
    domain_difficulties = serializers.DictField(
        child=serializers.ChoiceField(choices=Difficulty.choices), source="state.domain_difficulties"
    )
    weak_domains = WeakDomainOutputSerializer(many=True, source="state.weak_domains")
    updated_at = serializers.DateTimeField(source="progress.updated_at", allow_null=True)

    @classmethod
    def represent(cls, view: ProgressView, context: dict) -> dict:
        progress, state = view.progress, view.state
        return {
            "id": text_id(progress.id),
            "user_id": text_id(progress.learner_id),
            "certification_id": text_id(progress.certification_id),
            "total_xp": progress.total_xp,
            "total_quizzes": progress.total_quizzes,
            "total_questions_answered": progress.total_questions_answered,
            "correct_answers": progress.correct_answers,
            "accuracy": float(progress.accuracy),
            "current_difficulty": state.current_difficulty,
            "domain_difficulties": dict(state.domain_difficulties),
            "weak_domains": [
                WeakDomainOutputSerializer.represent(weak, context) for weak in state.weak_domains
            ],
            "updated_at": iso_datetime(progress.updated_at),
        }


class AchievementOutputSerializer(OutputSerializer):
    id = serializers.UUIDField()
    achievement_type = serializers.CharField(source="key")
    achievement_name = serializers.CharField(source="name")
    achievement_description = serializers.CharField(source="description")
    earned_at = serializers.DateTimeField()

    @classmethod
    def represent(cls, achievement: Achievement, context: dict) -> dict:
        return {
            "id": text_id(achievement.id),
            "achievement_type": achievement.key,
            "achievement_name": achievement.name,
            "achievement_description": achievement.description,
            "earned_at": iso_datetime(achievement.earned_at),
        }


class DashboardOutputSerializer(OutputSerializer):
    total_xp = serializers.IntegerField(source="profile.profile.xp")
    level = serializers.IntegerField(source="profile.profile.level")
    current_streak = serializers.IntegerField(source="profile.current_streak")
    longest_streak = serializers.IntegerField(source="profile.profile.longest_streak")
    total_quizzes = serializers.IntegerField(source="totals.total_quizzes")
    total_questions = serializers.IntegerField(source="totals.total_questions")
    average_accuracy = serializers.FloatField(source="totals.average_accuracy", help_text="Percent.")
    recent_achievements = AchievementOutputSerializer(many=True)
    progresses = ProgressOutputSerializer(many=True)
    selected_certification_id = serializers.UUIDField(
        source="profile.profile.selected_certification_id", allow_null=True
    )
    # For the selected certification (zeros and easy without one):
    correct_answers = serializers.IntegerField(source="selected.progress.correct_answers", default=0)
    total_questions_answered = serializers.IntegerField(
        source="selected.progress.total_questions_answered", default=0
    )
    current_difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, source="selected.state.current_difficulty", default=Difficulty.EASY
    )
    weak_domains = WeakDomainOutputSerializer(many=True, source="selected.state.weak_domains", default=list)

    @classmethod
    def represent(cls, dashboard: Dashboard, context: dict) -> dict:
        profile, selected = dashboard.profile.profile, dashboard.selected
        return {
            "total_xp": profile.xp,
            "level": profile.level,
            "current_streak": dashboard.profile.current_streak,
            "longest_streak": profile.longest_streak,
            "total_quizzes": dashboard.totals["total_quizzes"],
            "total_questions": dashboard.totals["total_questions"],
            "average_accuracy": float(dashboard.totals["average_accuracy"]),
            "recent_achievements": [
                AchievementOutputSerializer.represent(achievement, context)
                for achievement in dashboard.recent_achievements
            ],
            "progresses": [
                ProgressOutputSerializer.represent(view, context) for view in dashboard.progresses
            ],
            "selected_certification_id": text_id(profile.selected_certification_id),
            "correct_answers": selected.progress.correct_answers if selected else 0,
            "total_questions_answered": selected.progress.total_questions_answered if selected else 0,
            "current_difficulty": selected.state.current_difficulty if selected else Difficulty.EASY,
            "weak_domains": [
                WeakDomainOutputSerializer.represent(weak, context)
                for weak in (selected.state.weak_domains if selected else [])
            ],
        }


class SelectedCertificationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()


class ProfileOutputSerializer(OutputSerializer):
    """A ProfileView."""

    id = serializers.UUIDField(source="profile.id")
    user_id = serializers.UUIDField(source="profile.user_id")
    username = serializers.CharField(source="profile.user.username")
    email = serializers.EmailField(source="profile.user.email")
    selected_certification_id = serializers.UUIDField(
        source="profile.selected_certification_id", allow_null=True
    )
    certifications = SelectedCertificationSerializer(
        source="selected_certification",
        allow_null=True,
        help_text="The selected certification, or null.",
    )
    xp = serializers.IntegerField(source="profile.xp")
    level = serializers.IntegerField(source="profile.level")
    xp_into_level = serializers.IntegerField(help_text="XP earned within the current level.")
    xp_for_next_level = serializers.IntegerField(help_text="XP a level spans (the bar's full length).")
    current_streak = serializers.IntegerField(help_text="Days in a row (UTC); 0 once a day is missed.")
    longest_streak = serializers.IntegerField(source="profile.longest_streak")
    last_quiz_date = serializers.DateField(source="profile.last_quiz_date", allow_null=True)
    created_at = serializers.DateTimeField(source="profile.created_at")

    @classmethod
    def represent(cls, view: ProfileView, context: dict) -> dict:
        profile, user, selected = view.profile, view.profile.user, view.selected_certification
        return {
            "id": text_id(profile.id),
            "user_id": text_id(profile.user_id),
            "username": user.username,
            "email": user.email,
            "selected_certification_id": text_id(profile.selected_certification_id),
            "certifications": (
                None
                if selected is None
                else {"id": text_id(selected.id), "name": selected.name, "description": selected.description}
            ),
            "xp": profile.xp,
            "level": profile.level,
            "xp_into_level": view.xp_into_level,
            "xp_for_next_level": view.xp_for_next_level,
            "current_streak": view.current_streak,
            "longest_streak": profile.longest_streak,
            "last_quiz_date": iso_date(profile.last_quiz_date),
            "created_at": iso_datetime(profile.created_at),
        }


class ProfileUpdateInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=30, validators=[username_validator], required=False)
    selected_certification_id = serializers.UUIDField(required=False, allow_null=True)
