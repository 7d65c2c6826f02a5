from rest_framework import serializers

from certifications.models import CODE_PATTERN, Certification, ExamDomain, Level
from mindquest.common.serializers import OutputSerializer, iso_datetime


class ExamDomainOutputSerializer(OutputSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    weight = serializers.IntegerField(help_text="Percent of the exam.")

    @classmethod
    def represent(cls, domain: ExamDomain, context: dict) -> dict:
        return {"id": str(domain.id), "name": domain.name, "weight": domain.weight}


class CertificationOutputSerializer(OutputSerializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    exam_questions = serializers.IntegerField()
    exam_minutes = serializers.IntegerField()
    passing_score = serializers.IntegerField(help_text="On AWS's scaled 100–1000 scale.")
    is_active = serializers.BooleanField(help_text="Retired exams are hidden from learners.")
    domains = ExamDomainOutputSerializer(many=True)
    created_at = serializers.DateTimeField()

    @classmethod
    def represent(cls, certification: Certification, context: dict) -> dict:
        return {
            "id": str(certification.id),
            "code": certification.code,
            "name": certification.name,
            "description": certification.description,
            "level": certification.level,
            "exam_questions": certification.exam_questions,
            "exam_minutes": certification.exam_minutes,
            "passing_score": certification.passing_score,
            "is_active": certification.is_active,
            "domains": [
                ExamDomainOutputSerializer.represent(domain, context)
                for domain in certification.domains.all()
            ],
            "created_at": iso_datetime(certification.created_at),
        }


class ExamDomainInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    weight = serializers.IntegerField(min_value=1, max_value=100)


class CertificationCreateInputSerializer(serializers.Serializer):
    code = serializers.RegexField(
        CODE_PATTERN,
        max_length=20,
        error_messages={"invalid": "Use the exam code in capitals, like SAA-C03."},
    )
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    level = serializers.ChoiceField(choices=Level.choices, default=Level.ASSOCIATE)
    exam_questions = serializers.IntegerField(min_value=1, max_value=500, default=65)
    exam_minutes = serializers.IntegerField(min_value=1, max_value=600, default=130)
    passing_score = serializers.IntegerField(min_value=100, max_value=1000, default=720)
    is_active = serializers.BooleanField(default=True)
    domains = ExamDomainInputSerializer(many=True, required=False)

    def validate_domains(self, value: list[dict]) -> list[dict]:
        names = [domain["name"].casefold() for domain in value]
        if len(set(names)) != len(names):
            raise serializers.ValidationError("Domain names must be unique.")
        if value and sum(domain["weight"] for domain in value) != 100:
            raise serializers.ValidationError("Domain weights must sum to 100.")
        return value


class CertificationUpdateInputSerializer(CertificationCreateInputSerializer):
    """Every field optional; the blueprint is curated in admin."""

    domains = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
