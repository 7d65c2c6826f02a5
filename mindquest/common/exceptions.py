"""Errors raised by services. Each API and page turns them into its own response."""


class ApplicationError(Exception):
    """A use case refused: the message is safe to show to the user as it is."""

    status_code = 400
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None):
        self.message = message or self.default_message
        self.errors = errors or {}
        super().__init__(self.message)


class NotFoundError(ApplicationError):
    status_code = 404
    default_message = "Not found."


class ConflictError(ApplicationError):
    status_code = 409
    default_message = "Conflict with the current state."


class ForbiddenError(ApplicationError):
    status_code = 403
    default_message = "You do not have permission to perform this action."


class ServiceUnavailableError(ApplicationError):
    status_code = 503
    default_message = "Service temporarily unavailable."


class UnauthorizedError(ApplicationError):
    status_code = 401
    default_message = "Authentication required."
