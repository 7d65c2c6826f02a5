from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from certifications.models import Certification, ExamDomain
from certifications.rules import validate_domain_weights
from mindquest.common.exceptions import ConflictError

EDITABLE_FIELDS = (
    "code",
    "name",
    "description",
    "level",
    "exam_questions",
    "exam_minutes",
    "passing_score",
    "is_active",
)


def _check_unique(*, code: str | None, name: str | None, exclude_pk: Any = None) -> None:
    others = Certification.objects.exclude(pk=exclude_pk)
    if code is not None and others.filter(code=code).exists():
        raise ConflictError("A certification with this code already exists")
    if name is not None and others.filter(name__iexact=name).exists():
        raise ConflictError("A certification with this name already exists")


@transaction.atomic
def certification_create(*, domains: list[dict] | None = None, **fields: Any) -> Certification:
    """Create a certification and, optionally, its blueprint (weights must sum to 100)."""
    domains = domains or []
    validate_domain_weights(domain["weight"] for domain in domains)
    _check_unique(code=fields.get("code"), name=fields.get("name"))
    certification = Certification(**fields)
    certification.full_clean()
    try:
        with transaction.atomic():
            certification.save()
    except IntegrityError:
        raise ConflictError("A certification with this code or name already exists") from None
    ExamDomain.objects.bulk_create(
        ExamDomain(certification=certification, name=d["name"], weight=d["weight"], order=index)
        for index, d in enumerate(domains, start=1)
    )
    return certification


@transaction.atomic
def certification_update(*, certification: Certification, **fields: Any) -> Certification:
    """Change a certification's facts (its blueprint is edited in admin)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    _check_unique(code=fields.get("code"), name=fields.get("name"), exclude_pk=certification.pk)
    for field, value in fields.items():
        setattr(certification, field, value)
    certification.full_clean()
    try:
        with transaction.atomic():
            certification.save(update_fields=[*fields, "updated_at"])
    except IntegrityError:
        raise ConflictError("A certification with this code or name already exists") from None
    return certification


@transaction.atomic
def certification_delete(*, certification: Certification) -> None:
    """Delete a certification nobody has used yet; one with quizzes or questions is retired instead."""
    try:
        with transaction.atomic():
            certification.delete()
    except ProtectedError:
        raise ConflictError(
            "This certification has questions or learner history; set is_active to false to retire it"
        ) from None
