import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from certifications.models import Certification, ExamDomain
from mindquest.common.exceptions import ApplicationError, NotFoundError
from mindquest.common.snapshots import SharedSnapshot

CATALOG_VERSION_KEY = "certifications:catalog-version"
# How long a process trusts its copy before looking at the shared version again: a change made
# elsewhere reaches every process within this time (at once in the process that made it).
CATALOG_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Catalog:
    """Every certification with its domains (prefetched), as one read-only snapshot. Nearly every
    request needs some of it and only admins change it, so each process keeps one in memory and
    reloads it when the shared version moves (see `catalog_changed`)."""

    certifications: dict[uuid.UUID, Certification]  # every one, retired too, by id
    active: list[Certification]  # the active ones, in catalog order
    domains: dict[uuid.UUID, ExamDomain] = field(default_factory=dict)  # every domain, by id


def _load_catalog() -> Catalog:
    everything = list(Certification.objects.in_catalog_order().prefetch_related("domains"))
    return Catalog(
        certifications={certification.pk: certification for certification in everything},
        active=[certification for certification in everything if certification.is_active],
        domains={domain.pk: domain for certification in everything for domain in certification.domains.all()},
    )


_catalog = SharedSnapshot(CATALOG_VERSION_KEY, _load_catalog, check_seconds=CATALOG_CHECK_SECONDS)


def catalog() -> Catalog:
    """The current catalog: this process's copy, checked against the shared version at most every
    CATALOG_CHECK_SECONDS (one cache read), reloaded in two queries when that moved. Treat it as
    read-only: later requests share it."""
    return _catalog.get()


def catalog_changed() -> None:
    """A certification or a domain changed: this process reloads the catalog on its next use, the
    others once they see the new shared version."""
    _catalog.changed()


def certification_list() -> list[Certification]:
    """Active certifications with their domains, in catalog order."""
    return catalog().active


def certification_get(*, certification_id: uuid.UUID | str, active_only: bool = False) -> Certification:
    """One certification with its domains from the catalog (read-only), or NotFoundError."""
    try:
        certification = catalog().certifications.get(uuid.UUID(str(certification_id)))
    except ValueError:
        certification = None
    if certification is None or (active_only and not certification.is_active):
        raise NotFoundError("Certification not found")
    return certification


def certification_for_choice(*, certification_id: uuid.UUID | None, field: str) -> Certification | None:
    """The active certification a learner picked in `field`; an unknown one is invalid input (400)."""
    if certification_id is None:
        return None
    certification = catalog().certifications.get(certification_id)
    if certification is None or not certification.is_active:
        raise ApplicationError("Unknown certification", errors={field: ["Unknown certification."]})
    return certification


def certification_for_edit(*, certification_id: uuid.UUID | str) -> Certification:
    """One certification, read from the database for a change, or NotFoundError."""
    try:
        return Certification.objects.get(pk=certification_id)
    except (Certification.DoesNotExist, ValueError, ValidationError):
        raise NotFoundError("Certification not found") from None
