from django.contrib import admin

from mindquest.common.admin import LearnerHistoryAdmin
from progress.models import Achievement, UserProgress


@admin.register(UserProgress)
class UserProgressAdmin(LearnerHistoryAdmin):
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
class AchievementAdmin(LearnerHistoryAdmin):
    list_display = ["learner", "name", "earned_at"]
    list_filter = ["key"]
    list_select_related = ["learner"]
    search_fields = ["learner__email", "learner__username"]

    @admin.display(ordering="key")
    def name(self, achievement: Achievement) -> str:
        return achievement.name
