from rest_framework import serializers

from accounts.validators import username_validator
from quizzes.models import Difficulty


class WeakDomainOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    accuracy = serializers.FloatField(help_text="Percent over the domain's recent answers.")


class ProgressOutputSerializer(serializers.Serializer):
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


class AchievementOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    achievement_type = serializers.CharField(source="key")
    achievement_name = serializers.CharField(source="name")
    achievement_description = serializers.CharField(source="description")
    earned_at = serializers.DateTimeField()


class DashboardOutputSerializer(serializers.Serializer):
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


class SelectedCertificationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()


class ProfileOutputSerializer(serializers.Serializer):
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


class ProfileUpdateInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=30, validators=[username_validator], required=False)
    selected_certification_id = serializers.UUIDField(required=False, allow_null=True)
