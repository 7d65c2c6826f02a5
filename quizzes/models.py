from django.conf import settings
from django.db import models
from django.db.models import F, Q

from certifications.models import Certification, ExamDomain
from mindquest.common.ids import uuid7
from mindquest.common.models import BaseModel


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"

    def step(self, direction: int) -> "Difficulty":
        """The next difficulty up (+1) or down (-1), staying within easy..hard."""
        order = list(Difficulty)
        return order[max(0, min(len(order) - 1, order.index(self) + direction))]


XP_PER_CORRECT = {Difficulty.EASY: 5, Difficulty.MEDIUM: 10, Difficulty.HARD: 20}


class QuestionType(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    MULTI_SELECT = "multi_select", "Multiple response"
    TRUE_FALSE = "true_false", "True or false"


class QuestionSource(models.TextChoices):
    CURATED = "curated", "Curated"
    GENERATED = "generated", "Generated"


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(status=QuestionStatus.ACTIVE)


class Question(BaseModel):
    """One bank item, reusable across quizzes and learners."""

    # No index of its own: question_bank_cell and the content-hash constraint start with it.
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="questions", db_index=False
    )
    domain = models.ForeignKey(ExamDomain, on_delete=models.PROTECT, related_name="questions")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    question_type = models.CharField(max_length=20, choices=QuestionType.choices)
    question_text = models.TextField()
    options = models.JSONField(help_text="The option texts, in display order.")
    correct_answers = models.JSONField(
        help_text="The correct option texts (one, or several for multi-select)."
    )
    explanation = models.TextField()
    reference_url = models.URLField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=QuestionSource.choices, default=QuestionSource.CURATED)
    model = models.CharField(max_length=100, blank=True, help_text="The LLM that wrote it, if generated.")
    content_hash = models.CharField(max_length=64, editable=False, help_text="Of the normalised text.")
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE)
    times_answered = models.PositiveIntegerField(default=0)
    times_correct = models.PositiveIntegerField(default=0)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "domain", "difficulty", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "content_hash"], name="question_unique_per_certification"
            ),
            models.CheckConstraint(
                condition=Q(times_correct__lte=F("times_answered")), name="question_correct_le_answered"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__in=Difficulty.values), name="question_difficulty_valid"
            ),
            models.CheckConstraint(
                condition=Q(question_type__in=QuestionType.values), name="question_type_valid"
            ),
        ]
        indexes = [
            # The bank is read by (certification, domain, difficulty) cell, active questions only.
            models.Index(
                fields=["certification", "domain", "difficulty", "status"], name="question_bank_cell"
            ),
        ]

    def __str__(self) -> str:
        return self.question_text[:80]

    @property
    def correct_answer(self) -> str | list[str]:
        """As the API shows it: one string, or a list for multi-select."""
        if self.question_type == QuestionType.MULTI_SELECT:
            return list(self.correct_answers)
        return self.correct_answers[0]

    @property
    def share_correct(self) -> float | None:
        return round(100 * self.times_correct / self.times_answered, 1) if self.times_answered else None


class QuizStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class GenerationSource(models.TextChoices):
    """Where a quiz's questions came from."""

    BANK = "bank", "Bank"
    LLM = "llm", "LLM"
    MIXED = "mixed", "Mixed"
    FALLBACK = "fallback", "Fallback"


class QuizQuerySet(models.QuerySet):
    def of_learner(self, learner: settings.AUTH_USER_MODEL) -> "QuizQuerySet":
        return self.filter(learner=learner)


class Quiz(BaseModel):
    """One learner's attempt at a set of bank questions."""

    # Time-ordered: new quizzes' keys go to the right edge of the indexes (mindquest.common.ids).
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # No index of its own: the history indexes start with it.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quizzes", db_index=False
    )
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="quizzes")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    status = models.CharField(max_length=20, choices=QuizStatus.choices, default=QuizStatus.IN_PROGRESS)
    score = models.PositiveSmallIntegerField(default=0)
    total_questions = models.PositiveSmallIntegerField()
    xp_earned = models.PositiveIntegerField("XP earned", default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="The evaluation as returned, for repeats.")
    generation_source = models.CharField(max_length=20, choices=GenerationSource.choices, blank=True)
    generation_model = models.CharField(max_length=100, blank=True)
    generation_ms = models.PositiveIntegerField(default=0)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=F("total_questions")), name="quiz_score_le_total"),
            models.CheckConstraint(
                condition=Q(status=QuizStatus.IN_PROGRESS, completed_at__isnull=True)
                | Q(status=QuizStatus.COMPLETED, completed_at__isnull=False),
                name="quiz_completed_at_iff_completed",
            ),
        ]
        indexes = [
            # History: a learner's quizzes, newest first, optionally by certification. Not by
            # status: grading changes it, and a changed indexed column makes PostgreSQL write a
            # new entry in every index of the table instead of updating the row in place (HOT;
            # the pages keep room for it, migration 0005). The status is checked as a learner's
            # quizzes are read.
            models.Index(fields=["learner", "-created_at"], name="quiz_learner_history"),
            models.Index(
                fields=["learner", "certification", "-created_at"], name="quiz_learner_cert_history"
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz {self.pk} ({self.status})"

    @property
    def is_completed(self) -> bool:
        return self.status == QuizStatus.COMPLETED

    @property
    def accuracy(self) -> float:
        return round(100 * self.score / self.total_questions, 1) if self.total_questions else 0.0


class QuizQuestion(models.Model):
    """A bank question inside one quiz; its id is the question id the API exposes."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # None has an index of its own: the unique (quiz, position) starts with the quiz,
    # quiz_question_question is the question's, and the unique (learner, question, quiz) starts
    # with the learner.
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items", db_index=False)
    # The quiz's learner, copied onto each of its questions (a quiz never changes hands): a new
    # quiz leaves out the questions its learner has had, and reads them from one range of one
    # index, wherever in time their quizzes lie, instead of visiting each quiz and then its items.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="quiz_items", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    user_answer = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)
    xp_earned = models.PositiveSmallIntegerField("XP earned", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="quiz_question_unique_position"),
            # A question once per quiz, kept by an index that the questions a learner has had are
            # read from (the learner is the quiz's, so this is "once per quiz").
            models.UniqueConstraint(
                fields=["learner", "question", "quiz"], name="quiz_question_once_per_quiz"
            ),
        ]
        indexes = [models.Index(fields=["question"], name="quiz_question_question")]

    def __str__(self) -> str:
        return f"Question {self.position}"  # the row label of the quiz's admin page


# --- The learner's adaptive state -----------------------------------------------------------------

RECENT_WINDOW = 10


class LearnerDomainState(models.Model):
    """How a learner does in one exam domain: totals, the last answers, and the difficulty to ask."""

    learner = models.ForeignKey(  # no index of its own: the unique (learner, domain) starts with it
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="domain_states", db_index=False
    )
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(ExamDomain, on_delete=models.CASCADE, related_name="+")
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    recent = models.CharField(
        max_length=RECENT_WINDOW,
        blank=True,
        default="",
        help_text="Last answers, oldest first: 1 right, 0 wrong.",
    )
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, default=Difficulty.EASY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "domain"], name="domain_state_unique"),
            models.CheckConstraint(
                condition=Q(correct__lte=F("answered")), name="domain_state_correct_le_answered"
            ),
        ]
        indexes = [models.Index(fields=["learner", "certification"], name="domain_state_learner_cert")]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.get_difficulty_display()}"


class LearnerCertificationState(models.Model):
    """The difficulty a learner is at for a certification as a whole."""

    learner = models.ForeignKey(  # no index of its own: the unique (learner, certification) starts with it
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certification_states",
        db_index=False,
    )
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="+")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, default=Difficulty.EASY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "certification"], name="certification_state_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.certification.code}: {self.get_difficulty_display()}"


class BankRefill(models.Model):
    """One (domain, difficulty) cell of the bank as the background top-up sees it. A worker locks
    the row while it fills the cell, so parallel workers never generate the same cell at once."""

    domain = models.ForeignKey(ExamDomain, on_delete=models.CASCADE, related_name="+")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    refilled_at = models.DateTimeField(null=True, blank=True)
    last_added = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "difficulty"], name="bank_refill_unique_cell")
        ]

    def __str__(self) -> str:
        return f"{self.domain_id} {self.difficulty}"
