import uuid

from certifications.models import Certification, CertificationQuerySet
from mindquest.common.exceptions import ApplicationError, NotFoundError


def certification_list() -> CertificationQuerySet:
    """Active certifications with their domains, in catalog order."""
    return Certification.objects.active().in_catalog_order().prefetch_related("domains")


def certification_get(*, certification_id: uuid.UUID | str, active_only: bool = False) -> Certification:
    """One certification with its domains, or NotFoundError."""
    queryset = Certification.objects.prefetch_related("domains")
    if active_only:
        queryset = queryset.active()
    try:
        return queryset.get(pk=certification_id)
    except (Certification.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Certification not found") from None


def certification_for_choice(*, certification_id: uuid.UUID | None, field: str) -> Certification | None:
    """The active certification a learner picked in `field`; an unknown one is invalid input (400)."""
    if certification_id is None:
        return None
    certification = Certification.objects.active().filter(pk=certification_id).first()
    if certification is None:
        raise ApplicationError("Unknown certification", errors={field: ["Unknown certification."]})
    return certification
