"""What the apps' admins share."""

from django.contrib import admin
from django.http import HttpRequest


class LearnerHistoryAdmin(admin.ModelAdmin):
    """A learner's quizzes and game state, for support to look at. The totals shown elsewhere
    (the profile's XP, level and streak, progress, the bank's usage counts) are built from them as
    quizzes are graded, so nothing here is added, edited or deleted on its own: it goes only with
    its learner (`deleting_learners_takes_history`)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def deleting_learners_takes_history(site: admin.AdminSite, perms_needed: set[str]) -> set[str]:
    """The permissions still needed to delete some learners, from those Django found missing:
    their history (the models with a LearnerHistoryAdmin) goes with them."""
    history = {
        model._meta.verbose_name
        for model, model_admin in site._registry.items()
        if isinstance(model_admin, LearnerHistoryAdmin)
    }
    return perms_needed - history
