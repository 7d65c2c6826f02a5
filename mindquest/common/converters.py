"""Path converters for the routes' ids."""

import uuid


class IdConverter:
    """A UUID in upper or lower case, as RFC 9562 reads them (Django's `uuid` matches lowercase
    only, so an id a client upper-cased got the generic 404); the view gets a `uuid.UUID`."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID | str) -> str:
        return str(value)
