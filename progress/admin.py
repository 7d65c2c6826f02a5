from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mindquest.common.admin import LearnerHistoryAdmin
from progress.achievements import CATALOG
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


class AchievementFilter(admin.SimpleListFilter):
    """By achievement, named as learners see them."""

    title = "achievement"
    parameter_name = "key"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(rule.key, rule.name) for rule in CATALOG]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(key=self.value()) if self.value() else queryset


@admin.register(Achievement)
class AchievementAdmin(LearnerHistoryAdmin):
    list_display = ["learner", "name", "earned_at"]
    list_filter = [AchievementFilter]
    list_select_related = ["learner"]
    search_fields = ["learner__email", "learner__username"]

    @admin.display(ordering="key")
    def name(self, achievement: Achievement) -> str:
        return achievement.name
