from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower

from mindquest.common.models import BaseModel

CODE_PATTERN = r"^[A-Z0-9]+(-[A-Z0-9]+)*$"


class Level(models.TextChoices):
    FOUNDATIONAL = "foundational", "Foundational"
    ASSOCIATE = "associate", "Associate"
    PROFESSIONAL = "professional", "Professional"
    SPECIALTY = "specialty", "Specialty"


class CertificationQuerySet(models.QuerySet):
    def active(self) -> "CertificationQuerySet":
        return self.filter(is_active=True)

    def in_catalog_order(self) -> "CertificationQuerySet":
        """Foundational first, then associate, professional, specialty; by name within a level."""
        rank = Case(
            *(When(level=level, then=Value(index)) for index, level in enumerate(Level.values)),
            default=Value(len(Level.values)),
        )
        return self.alias(level_rank=rank).order_by("level_rank", "name")


class Certification(BaseModel):
    """An AWS exam and its facts. The blueprint (its domains) is data, curated in admin."""

    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, "Use the exam code in capitals, like SAA-C03.")],
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    exam_questions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    exam_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    passing_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(100), MaxValueValidator(1000)],
        help_text="On AWS's scaled 100–1000 scale.",
    )
    is_active = models.BooleanField(default=True, help_text="Retired exams are hidden from learners.")

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="certification_name_ci_unique"),
            models.CheckConstraint(
                condition=Q(passing_score__gte=100, passing_score__lte=1000),
                name="certification_passing_score_range",
            ),
            models.CheckConstraint(
                condition=Q(exam_questions__gte=1, exam_minutes__gte=1),
                name="certification_exam_facts_positive",
            ),
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN), name="certification_code_format"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="certification_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        # The database refuses a name another certification has in any letter case
        # (certification_name_ci_unique); say so next to the name, in words.
        taken = Certification.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if self.name and taken.exists():
            raise ValidationError({"name": "A certification with this name already exists."})


class ExamDomain(BaseModel):
    """One content domain of an exam blueprint, with its share of the scored questions."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Percent of the exam."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "name"], name="exam_domain_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="exam_domain_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"
