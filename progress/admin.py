from django.contrib import admin
from django.http import HttpRequest

from progress.models import Achievement, UserProgress


class ReadOnlyAdmin(admin.ModelAdmin):
    """Game state follows from graded quizzes: admins look, they do not edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(UserProgress)
class UserProgressAdmin(ReadOnlyAdmin):
    list_display = [
        "learner",
        "certification",
        "total_quizzes",
        "total_questions_answered",
        "accuracy",
        "total_xp",
        "updated_at",
    ]
    list_filter = ["certification"]
    list_select_related = ["learner", "certification"]
    search_fields = ["learner__email", "learner__username"]


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdmin):
    list_display = ["learner", "name", "earned_at"]
    list_filter = ["key"]
    list_select_related = ["learner"]
    search_fields = ["learner__email", "learner__username"]

    @admin.display(ordering="key")
    def name(self, achievement: Achievement) -> str:
        return achievement.name
