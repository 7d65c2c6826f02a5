import uuid
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mindquest.common.serializers import OutputSerializer, iso_datetime, text_id
from quizzes.models import Difficulty, QuestionType, Quiz, QuizQuestion, QuizStatus
from quizzes.services import GeneratedQuiz

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


def _answer(item: QuizQuestion) -> str | list[str] | None:
    """The learner's answer as given: one option, or a list for multi-select."""
    if item.user_answer is None:
        return None
    if item.question.question_type == QuestionType.MULTI_SELECT:
        return list(item.user_answer)
    return item.user_answer[0]


class QuestionOutputSerializer(OutputSerializer):
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
        return _answer(item)

    @classmethod
    def represent(cls, item: QuizQuestion, context: dict) -> dict:
        question, reveal = item.question, bool(context.get("reveal"))
        return {
            "id": text_id(item.id),
            "quiz_id": text_id(item.quiz_id),
            "question_text": question.question_text,
            "question_type": question.question_type,
            "options": list(question.options),
            "correct_answer": question.correct_answer if reveal else None,
            "explanation": question.explanation if reveal else None,
            "reference_url": (question.reference_url or None) if reveal else None,
            "difficulty": question.difficulty,
            "domain": question.domain.name,
            "user_answer": _answer(item),
            "is_correct": item.is_correct,
            "xp_earned": item.xp_earned,
            "created_at": iso_datetime(item.created_at),
        }


class QuizSummaryOutputSerializer(OutputSerializer):
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

    @classmethod
    def represent(cls, quiz: Quiz, context: dict) -> dict:
        return {
            "id": text_id(quiz.id),
            "certification_id": text_id(quiz.certification_id),
            "certification_code": quiz.certification.code,
            "difficulty": quiz.difficulty,
            "status": quiz.status,
            "score": quiz.score,
            "total_questions": quiz.total_questions,
            "accuracy": float(quiz.accuracy),
            "xp_earned": quiz.xp_earned,
            "created_at": iso_datetime(quiz.created_at),
            "completed_at": iso_datetime(quiz.completed_at),
        }


class QuizDetailOutputSerializer(QuizSummaryOutputSerializer):
    questions = serializers.SerializerMethodField()

    @extend_schema_field(QuestionOutputSerializer(many=True))
    def get_questions(self, quiz) -> list[dict]:
        return QuestionOutputSerializer(
            quiz.items.all(), many=True, context={"reveal": quiz.is_completed}
        ).data

    @classmethod
    def represent(cls, quiz: Quiz, context: dict) -> dict:
        questions = {"reveal": quiz.is_completed}
        return {
            **super().represent(quiz, context),
            "questions": [QuestionOutputSerializer.represent(item, questions) for item in quiz.items.all()],
        }


class QuizGeneratedOutputSerializer(OutputSerializer):
    """A GeneratedQuiz."""

    quiz_id = serializers.UUIDField(source="quiz.id")
    certification_id = serializers.UUIDField(source="quiz.certification_id")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, source="quiz.difficulty")
    total_questions = serializers.IntegerField(source="quiz.total_questions")
    questions = QuestionOutputSerializer(many=True, source="items")

    @classmethod
    def represent(cls, generated: GeneratedQuiz, context: dict) -> dict:
        quiz = generated.quiz
        return {
            "quiz_id": text_id(quiz.id),
            "certification_id": text_id(quiz.certification_id),
            "difficulty": quiz.difficulty,
            "total_questions": quiz.total_questions,
            "questions": [QuestionOutputSerializer.represent(item, context) for item in generated.items],
        }


class QuizGenerateInputSerializer(serializers.Serializer):
    certification_id = serializers.UUIDField()
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False, allow_null=True)
    weak_domains = DomainNamesField(required=False, allow_null=True)
    question_count = serializers.IntegerField(min_value=1, max_value=65, default=5)

    @classmethod
    def validated(cls, data: Any) -> dict:
        """The validated data of a request body. Binding and running the fields costs about 80 µs
        a generate; the body a client nearly always sends (an object with the certification's id
        as a UUID string, the difficulty absent, null or one of its values, no weak domains, the
        count absent or an integer in range) is read here to the same result, in a fortieth of
        that. Any other body goes through the fields, for their conversions and errors."""
        if type(data) is dict and type(data.get("certification_id")) is str:
            counted = cls._declared_fields["question_count"]
            count = data.get("question_count", counted.default)
            difficulty = data.get("difficulty")
            try:
                certification_id = uuid.UUID(hex=data["certification_id"])
            except ValueError:
                pass  # the field's error
            else:
                if (
                    type(count) is int
                    and counted.min_value <= count <= counted.max_value
                    and (difficulty is None or difficulty in Difficulty.values)
                    and data.get("weak_domains") is None
                ):
                    validated = {"certification_id": certification_id, "question_count": count}
                    validated.update(
                        {name: data[name] for name in ("difficulty", "weak_domains") if name in data}
                    )
                    return validated
        serializer = cls(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class QuizEvaluateInputSerializer(serializers.Serializer):
    answers = serializers.DictField(child=AnswerField(allow_null=True), allow_empty=True)
    quiz_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="Ignored.")

    @classmethod
    def answers_of(cls, data: Any) -> dict:
        """The answers of a request body, validated. Binding and running the fields costs more
        than grading's own logic, and on a well-formed body (an object, its answers an object,
        quiz_id absent, null or a string) none of them can fail or change an answer: an answer may
        be any JSON value, for grading to judge against its question. Such a body's answers are
        taken as they are; any other body goes through the fields, for their errors."""
        if (
            type(data) is dict
            and type(data.get("answers")) is dict
            and type(data.get("quiz_id")) in _TEXT_OR_NONE
        ):
            return data["answers"]
        serializer = cls(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["answers"]


_TEXT_OR_NONE = (str, type(None))


class WeakDomainSerializer(serializers.Serializer):
    name = serializers.CharField()
    accuracy = serializers.FloatField()


class EvaluationOutputSerializer(OutputSerializer):
    """The result of an evaluation, already a plain dict (it is also stored with the quiz)."""

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

    @classmethod
    def represent(cls, result: dict, context: dict) -> dict:
        return {
            "success": result["success"],
            "score": result["score"],
            "total_questions": result["total_questions"],
            "accuracy": float(result["accuracy"]),
            "xp_earned": result["xp_earned"],
            "new_level": result["new_level"],
            "new_streak": result["new_streak"],
            "leveled_up": result["leveled_up"],
            "achievements": list(result["achievements"]),
            "weak_domains": [
                {"name": weak["name"], "accuracy": float(weak["accuracy"])} for weak in result["weak_domains"]
            ],
            "next_difficulty": result["next_difficulty"],
            "already_evaluated": result["already_evaluated"],
        }


class QuizListInputSerializer(serializers.Serializer):
    certification_id = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=[*QuizStatus.values, "all"], default=QuizStatus.COMPLETED)
