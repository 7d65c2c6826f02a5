from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quizzes.models import Difficulty, QuestionType, QuizStatus

ANSWER_SCHEMA = {
    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    "nullable": True,
}


@extend_schema_field(ANSWER_SCHEMA)
class AnswerField(serializers.JSONField):
    """An option text, or a list of option texts for multi-select (null: unanswered)."""


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "string"},
                {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
            ]
        },
        "nullable": True,
    }
)
class DomainNamesField(serializers.Field):
    """Domain names, also accepted as the {name, accuracy} objects an evaluation returns."""

    default_error_messages = {"invalid": "A list of domain names (or objects with a name)."}

    def to_internal_value(self, data) -> list[str] | None:
        if data is None:
            return None
        if not isinstance(data, list):
            self.fail("invalid")
        names = []
        for item in data:
            name = item.get("name") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.strip():
                self.fail("invalid")
            names.append(name.strip())
        return names

    def to_representation(self, value) -> list[str]:
        return value


class QuestionOutputSerializer(serializers.Serializer):
    """A QuizQuestion. Context `reveal` (the quiz is graded) decides whether answers show."""

    id = serializers.UUIDField()
    quiz_id = serializers.UUIDField()
    question_text = serializers.CharField(source="question.question_text")
    question_type = serializers.ChoiceField(choices=QuestionType.choices, source="question.question_type")
    options = serializers.ListField(child=serializers.CharField(), source="question.options")
    correct_answer = serializers.SerializerMethodField(help_text="null until the quiz is evaluated")
    explanation = serializers.SerializerMethodField(help_text="null until the quiz is evaluated")
    reference_url = serializers.SerializerMethodField(help_text="null until the quiz is evaluated")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, source="question.difficulty")
    domain = serializers.CharField(source="question.domain.name")
    user_answer = serializers.SerializerMethodField()
    is_correct = serializers.BooleanField(allow_null=True)
    xp_earned = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def _reveal(self) -> bool:
        return bool(self.context.get("reveal"))

    @extend_schema_field(ANSWER_SCHEMA)
    def get_correct_answer(self, item) -> str | list[str] | None:
        return item.question.correct_answer if self._reveal() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_explanation(self, item) -> str | None:
        return item.question.explanation if self._reveal() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reference_url(self, item) -> str | None:
        return (item.question.reference_url or None) if self._reveal() else None

    @extend_schema_field(ANSWER_SCHEMA)
    def get_user_answer(self, item) -> str | list[str] | None:
        if item.user_answer is None:
            return None
        if item.question.question_type == QuestionType.MULTI_SELECT:
            return list(item.user_answer)
        return item.user_answer[0]


class QuizSummaryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    certification_id = serializers.UUIDField()
    certification_code = serializers.CharField(source="certification.code")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    status = serializers.ChoiceField(choices=QuizStatus.choices)
    score = serializers.IntegerField()
    total_questions = serializers.IntegerField()
    accuracy = serializers.FloatField(help_text="Percent.")
    xp_earned = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class QuizDetailOutputSerializer(QuizSummaryOutputSerializer):
    questions = serializers.SerializerMethodField()

    @extend_schema_field(QuestionOutputSerializer(many=True))
    def get_questions(self, quiz) -> list[dict]:
        return QuestionOutputSerializer(
            quiz.items.all(), many=True, context={"reveal": quiz.is_completed}
        ).data


class QuizGeneratedOutputSerializer(serializers.Serializer):
    """A GeneratedQuiz."""

    quiz_id = serializers.UUIDField(source="quiz.id")
    certification_id = serializers.UUIDField(source="quiz.certification_id")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, source="quiz.difficulty")
    total_questions = serializers.IntegerField(source="quiz.total_questions")
    questions = QuestionOutputSerializer(many=True, source="items")


class QuizGenerateInputSerializer(serializers.Serializer):
    certification_id = serializers.UUIDField()
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False, allow_null=True)
    weak_domains = DomainNamesField(required=False, allow_null=True)
    question_count = serializers.IntegerField(min_value=1, max_value=65, default=5)


class QuizEvaluateInputSerializer(serializers.Serializer):
    answers = serializers.DictField(child=AnswerField(allow_null=True), allow_empty=True)
    quiz_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="Ignored.")


class WeakDomainSerializer(serializers.Serializer):
    name = serializers.CharField()
    accuracy = serializers.FloatField()


class EvaluationOutputSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    score = serializers.IntegerField()
    total_questions = serializers.IntegerField()
    accuracy = serializers.FloatField(help_text="Percent.")
    xp_earned = serializers.IntegerField()
    new_level = serializers.IntegerField()
    new_streak = serializers.IntegerField()
    leveled_up = serializers.BooleanField()
    achievements = serializers.ListField(
        child=serializers.CharField(), help_text="Names earned by this quiz."
    )
    weak_domains = WeakDomainSerializer(many=True)
    next_difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    already_evaluated = serializers.BooleanField()


class QuizListInputSerializer(serializers.Serializer):
    certification_id = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=[*QuizStatus.values, "all"], default=QuizStatus.COMPLETED)
