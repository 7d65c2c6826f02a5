import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mindquest.common.logging import request_id

logger = logging.getLogger("mindquest.request")

# A caller's id is kept only if it looks like one (no log injection through the header).
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (the caller's X-Request-ID if sane), put it on every log line
    written while handling it and on the response, and log the request once when done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        current = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(current)
        request.id = current
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
