from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certifications.models import Certification, ExamDomain
from certifications.selectors import catalog_changed


@receiver([post_save, post_delete], sender=Certification, dispatch_uid="certifications.catalog.certification")
@receiver([post_save, post_delete], sender=ExamDomain, dispatch_uid="certifications.catalog.domain")
def on_catalog_change(sender: type, **kwargs) -> None:
    """Every process reloads the catalog once the change commits (`SharedSnapshot.changed`)."""
    catalog_changed()
