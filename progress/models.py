import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from certifications.models import Certification
from progress.achievements import BY_KEY


class UserProgress(models.Model):
    """A learner's totals for one certification."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(  # no index of its own: the unique (learner, certification) starts with it
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_records", db_index=False
    )
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    total_xp = models.PositiveIntegerField(default=0)
    total_quizzes = models.PositiveIntegerField(default=0)
    total_questions_answered = models.PositiveIntegerField(default=0)
    correct_answers = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "user progress"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "certification"], name="progress_unique_per_certification"
            ),
            models.CheckConstraint(
                condition=Q(correct_answers__lte=F("total_questions_answered")),
                name="progress_correct_le_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"Progress in {self.certification.code}"

    @property
    def accuracy(self) -> float:
        if not self.total_questions_answered:
            return 0.0
        return round(100 * self.correct_answers / self.total_questions_answered, 1)


class Achievement(models.Model):
    """An achievement a learner earned; each key at most once per learner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(  # no index of its own: the unique (learner, key) starts with it
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="achievements", db_index=False
    )
    key = models.CharField(max_length=50)
    earned_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "key"], name="achievement_once_per_learner")
        ]
        indexes = [models.Index(fields=["learner", "-earned_at"], name="achievement_learner_recent")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        rule = BY_KEY.get(self.key)
        return rule.name if rule else self.key

    @property
    def description(self) -> str:
        rule = BY_KEY.get(self.key)
        return rule.description if rule else ""
