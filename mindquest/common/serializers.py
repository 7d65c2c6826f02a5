"""Output serializers for the busiest endpoints, written out instead of walked field by field."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from rest_framework import serializers


# A read-only serializer whose representation is written out in `represent`.
#
# DRF deep-copies and binds every declared field, nested ones included, each time a serializer is
# used; on our busiest endpoints that cost more than their queries. The declared fields stay the
# contract (the schema is built from them), and a test renders each subclass both ways, written out
# and field by field, and requires the same result. (Comments, not a docstring: the schema would
# show a docstring as every subclass's description.)
class OutputSerializer(serializers.Serializer):
    @classmethod
    def represent(cls, instance: Any, context: dict) -> dict:
        raise NotImplementedError

    def to_representation(self, instance: Any) -> dict:
        return self.represent(instance, self.context)

    def represent_field_by_field(self, instance: Any) -> dict:
        """DRF's own rendering of the declared fields: what `represent` must equal."""
        return super().to_representation(instance)


def text_id(value: uuid.UUID | None) -> str | None:
    """A UUID as UUIDField renders it."""
    return None if value is None else str(value)


def iso_datetime(value: datetime | None) -> str | None:
    """A datetime as DateTimeField renders it: ISO 8601 in UTC (the site's zone), with a Z."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
