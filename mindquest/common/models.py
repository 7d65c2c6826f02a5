import uuid

from django.db import models


class BaseModel(models.Model):
    """A UUID primary key (the API exposes ids as UUID strings) and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
